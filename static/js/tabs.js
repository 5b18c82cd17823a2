// Tabs on the course page: buttons with data-tab show the panel with the same data-panel.
document.querySelectorAll("[data-tabs]").forEach((box) => {
  const buttons = box.querySelectorAll("[data-tab]");
  buttons.forEach((button) => {
    button.addEventListener("click", () => {
      buttons.forEach((b) => b.setAttribute("aria-selected", String(b === button)));
      box.querySelectorAll("[data-panel]").forEach((panel) => {
        panel.hidden = panel.dataset.panel !== button.dataset.tab;
      });
      // on a phone the strip of tabs scrolls inside itself: bring the chosen one into view
      button.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
  });
});

// A <details data-fragment="URL"> loads its body the first time it is opened (a lesson's full
// transcript is large, so the course page does not carry it); the link inside is the fallback.
document.querySelectorAll("details[data-fragment]").forEach((details) => {
  details.addEventListener("toggle", async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    const body = details.querySelector("[data-fragment-body]");
    const response = await fetch(details.dataset.fragment, { credentials: "same-origin" });
    if (response.ok) body.innerHTML = await response.text();
  });
});
