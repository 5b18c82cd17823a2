// Reviews on the course page. The counter counts what the server counts: characters (code
// points, so an emoji is one, where a textarea's maxlength would count it as two), trimmed,
// a line break as one. Over the limit or empty, the form cannot be sent.
document.querySelectorAll("[data-review-form]").forEach((form) => {
  const text = form.querySelector("[data-review-text]");
  const counter = form.querySelector("[data-review-counter]");
  const submit = form.querySelector("button[type=submit]");
  const max = Number(text.dataset.max);
  const update = () => {
    const count = [...text.value.replace(/\r\n/g, "\n").trim()].length;
    counter.textContent = `${count}/${max}`;
    counter.classList.toggle("over", count > max);
    submit.disabled = count === 0 || count > max;
  };
  text.addEventListener("input", update);
  update();
});

// The 评价 tab opens from #comments (after posting, a page of reviews, the rating's link).
function openTab(name) {
  const button = document.querySelector(`[data-tab="${name}"]`);
  if (!button) return;
  button.click();
  document.getElementById(name)?.scrollIntoView();
}
document.querySelectorAll("[data-open-tab]").forEach((link) => {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    history.replaceState(null, "", `#${link.dataset.openTab}`);
    openTab(link.dataset.openTab);
  });
});
if (location.hash === "#comments") openTab("comments");
