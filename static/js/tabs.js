// Tabs on the course page: buttons with data-tab show the panel with the same data-panel.
document.querySelectorAll("[data-tabs]").forEach((box) => {
  const buttons = box.querySelectorAll("[data-tab]");
  buttons.forEach((button) => {
    button.addEventListener("click", () => {
      buttons.forEach((b) => b.setAttribute("aria-selected", String(b === button)));
      box.querySelectorAll("[data-panel]").forEach((panel) => {
        panel.hidden = panel.dataset.panel !== button.dataset.tab;
      });
    });
  });
});
