// Subtitles and the transcript under the player: the caption switch keeps its choice in
// localStorage; the sentence being spoken is highlighted as the video plays.
(() => {
  "use strict";
  const video = document.getElementById("video");
  if (!video) return;
  const STORE = "academy.captions";
  const toggle = document.getElementById("captions-toggle");
  const list = document.getElementById("transcript-lines");

  const track = () => (video.textTracks.length ? video.textTracks[0] : null);

  function remembered() {
    try { return localStorage.getItem(STORE) !== "off"; } catch (e) { return true; }
  }

  function remember(on) {
    try { localStorage.setItem(STORE, on ? "on" : "off"); } catch (e) { /* private mode */ }
  }

  function show(on) {
    const t = track();
    // "hidden" keeps the cues loaded and active, only not drawn over the picture
    if (t) t.mode = on ? "showing" : "hidden";
    if (!toggle) return;
    toggle.textContent = on ? toggle.dataset.labelOn : toggle.dataset.labelOff;
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
  }

  if (toggle && track()) {
    show(remembered());
    toggle.addEventListener("click", () => {
      const on = track().mode !== "showing";
      remember(on);
      show(on);
    });
  }

  if (!list) return;
  const lines = Array.from(list.querySelectorAll("li[data-start]")).map((li) => ({
    li, start: Number(li.dataset.start), end: Number(li.dataset.end),
  }));
  let current = null;

  video.addEventListener("timeupdate", () => {
    const t = video.currentTime;
    const found = lines.find((line) => t >= line.start && t < line.end) || null;
    if (found === current) return;
    if (current) current.li.classList.remove("speaking");
    current = found;
    if (!current) return;
    current.li.classList.add("speaking");
    // keep the sentence in view inside the list without scrolling the page
    const top = current.li.offsetTop; // the list is positioned: offsets are within it
    if (top < list.scrollTop || top + current.li.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  });
})();
