// Studio documents page: refuse a file that is too large or not a PDF before it is sent, so the
// instructor hears it at once instead of after a long upload (the server checks again).
(() => {
  "use strict";
  const form = document.querySelector("form[data-document-upload]");
  if (!form) return;
  const input = form.querySelector("input[data-file]");
  const error = form.querySelector("[data-file-error]");
  const maxBytes = Number(form.dataset.maxBytes) || 0;

  function problem() {
    const file = input.files && input.files[0];
    if (!file) return "";
    if (maxBytes && file.size > maxBytes) return form.dataset.tooLarge;
    const pdf = file.type === "application/pdf" || file.name.toLowerCase().endsWith(".pdf");
    return pdf ? "" : form.dataset.notPdf;
  }

  function show() {
    const text = problem();
    error.textContent = text;
    error.hidden = !text;
    return !text;
  }

  input.addEventListener("change", show);
  form.addEventListener("submit", (event) => {
    if (!show()) event.preventDefault();
  });
})();
