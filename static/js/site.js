// Every page: progress bars take their width from data-pct. The content security policy
// allows no inline style attributes, and setting a style from a script file is allowed.
for (const fill of document.querySelectorAll(".bar-fill[data-pct]")) {
  fill.style.width = `${Number(fill.dataset.pct) || 0}%`;
}
