// Every page: progress bars take their width from data-pct. The content security policy
// allows no inline style attributes, and setting a style from a script file is allowed.
for (const fill of document.querySelectorAll(".bar-fill[data-pct]")) {
  fill.style.width = `${Number(fill.dataset.pct) || 0}%`;
}

// The phone menu: the 菜单 button opens and closes the header's panel (links, search, account,
// languages). Escape closes it and gives the focus back to the button; so does moving the
// focus or clicking anywhere outside the header. Wide screens show the panel as the bar.
const menuButton = document.querySelector("[data-menu-toggle]");
if (menuButton) {
  const header = menuButton.closest(".topbar");
  const setOpen = (open) => {
    header.classList.toggle("menu-open", open);
    menuButton.setAttribute("aria-expanded", String(open));
  };
  const isOpen = () => menuButton.getAttribute("aria-expanded") === "true";
  menuButton.addEventListener("click", () => setOpen(!isOpen()));
  header.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      setOpen(false);
      menuButton.focus();
    }
  });
  header.addEventListener("focusout", (event) => {
    if (isOpen() && event.relatedTarget && !header.contains(event.relatedTarget)) setOpen(false);
  });
  document.addEventListener("click", (event) => {
    if (isOpen() && !header.contains(event.target)) setOpen(false);
  });
}

// On phones a table shows each row as a card, each cell led by its column's heading: copy the
// headings into data-label where the template did not write one.
for (const table of document.querySelectorAll("table.table")) {
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  if (!headings.length) continue;
  for (const row of table.querySelectorAll("tbody tr")) {
    if (row.children.length === 1 && row.children[0].colSpan > 1) continue; // "nothing here"
    let column = 0;
    for (const cell of row.children) {
      if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", headings[column] || "");
      column += cell.colSpan || 1;
    }
  }
}

// A form that came back with errors: put the focus on its first invalid field, whose error
// (aria-describedby) a screen reader then reads out; the page scrolls to it.
const firstInvalid = document.querySelector("main [aria-invalid='true']");
if (firstInvalid) firstInvalid.focus();

// A form that cannot be undone (data-confirm="…") asks once before it is sent.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

// Forms marked data-warn-unsaved: leaving the page (a link, or another form's submit) while
// one of them holds typing that was not sent asks first, so a saved transcript does not take
// an unsaved summary with it.
const unsaved = new Set();
for (const form of document.querySelectorAll("form[data-warn-unsaved]")) {
  form.addEventListener("input", () => unsaved.add(form));
  form.addEventListener("submit", () => unsaved.delete(form));
}
window.addEventListener("beforeunload", (event) => {
  if (unsaved.size) event.preventDefault();
});
