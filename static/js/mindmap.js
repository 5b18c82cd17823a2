// The course page's mind maps, drawn with the vendored markmap-view and d3 (static/vendor/,
// see .ci/vendor): drag to pan, pinch or Ctrl + wheel to zoom (a plain wheel scrolls the page),
// a tap or Enter on a branch folds or unfolds it. The nodes are made on the server (their text
// already escaped) and fetched when the box first comes near the screen. Without the library,
// or when the nodes cannot be had, the box shows the server's SVG, as it does without scripts.
(function () {
  const library = window.markmap && window.d3 ? window.markmap : null;
  const ZOOM_STEP = 1.25;

  function staticMap(box) {
    const image = document.createElement("img");
    image.src = box.dataset.svg;
    image.alt = box.dataset.alt;
    box.appendChild(image);
  }

  // Branches (nodes with children) are buttons: focusable, and saying whether they are open.
  function markBranches(svg) {
    svg.querySelectorAll("g.markmap-node").forEach((group) => {
      const node = window.d3.select(group).datum();
      if (!node.children || !node.children.length) return;
      group.setAttribute("role", "button");
      group.setAttribute("tabindex", "0");
      group.setAttribute("aria-expanded", String(!(node.payload && node.payload.fold)));
      group.setAttribute("aria-label", group.textContent.trim());
    });
  }

  async function load(box) {
    const response = await fetch(box.dataset.mindmap, { credentials: "same-origin" }).catch(
      () => null,
    );
    if (!response || !response.ok) {
      staticMap(box);
      return;
    }
    draw(box, await response.text());
  }

  // `source`: the nodes as JSON text (markmap changes the nodes it is given, so each drawing
  // parses its own copy)
  function draw(box, source) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("aria-label", box.dataset.alt);
    // on a phone the lines wrap sooner: a narrower, taller map fills the box at a readable size
    const narrow = box.clientWidth < 600;
    const view = new library.Markmap(svg, {
      embedGlobalCSS: false, // css/mindmap.css has its rules: the policy refuses <style>
      color: (node) => (node.payload && node.payload.colour) || "#1f3b5c",
      duration: 300,
      maxWidth: narrow ? 120 : 220,
      maxInitialScale: 1,
      pan: false, // the wheel scrolls the page...
      scrollForPan: true, // ...and zooms only with Ctrl (what a trackpad's pinch sends)
      spacingHorizontal: narrow ? 24 : 48,
      spacingVertical: 8,
      paddingX: 6,
    });
    // markmap adds an (empty) <style> element to the SVG; taken out before the SVG joins the
    // page, so the policy has nothing to refuse.
    view.styleNode.remove();
    box.appendChild(svg);

    // The box is busy while the map moves (laid out, fitted, zoomed, a branch folding).
    let moving = 0;
    const busy = (work) => {
      moving += 1;
      box.setAttribute("aria-busy", "true");
      return work().finally(() => {
        moving -= 1;
        if (!moving) box.removeAttribute("aria-busy");
      });
    };
    const settled = () => new Promise((done) => window.setTimeout(done, view.options.duration));
    const show = (data) =>
      busy(() =>
        view.setData(data).then(() => {
          markBranches(svg);
          return view.fit();
        }),
      );
    const toggle = (node) =>
      busy(() =>
        view
          .toggleNode(node)
          .then(() => markBranches(svg))
          .then(settled),
      );
    view.handleClick = (event, node) => toggle(node); // the small circle at a branch's end
    // the branch's text folds it too: a bigger target for a finger
    svg.addEventListener("click", (event) => {
      if (event.target.closest("circle")) return; // the circle's own handler did it
      const group = event.target.closest("g.markmap-node[role=button]");
      if (group) toggle(window.d3.select(group).datum());
    });
    svg.addEventListener("keydown", (event) => {
      const group = event.target.closest && event.target.closest("g.markmap-node[role=button]");
      if (!group || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();
      toggle(window.d3.select(group).datum());
    });

    const tools = box.previousElementSibling;
    if (tools && tools.classList.contains("mindmap-tools")) {
      const actions = {
        "zoom-in": () => busy(() => view.rescale(ZOOM_STEP)),
        "zoom-out": () => busy(() => view.rescale(1 / ZOOM_STEP)),
        fit: () => busy(() => view.fit()),
        reset: () => show(JSON.parse(source)),
      };
      tools.addEventListener("click", (event) => {
        const button = event.target.closest("[data-mindmap-do]");
        if (button) actions[button.dataset.mindmapDo]();
      });
      tools.hidden = false;
    }
    const hint = box.parentNode.querySelector(".mindmap-hint");
    if (hint) hint.hidden = false;
    show(JSON.parse(source));
  }

  const boxes = document.querySelectorAll("[data-mindmap]");
  if (!library) {
    boxes.forEach(staticMap);
    return;
  }
  // A long course has many maps: each is drawn when it first comes near the screen (a map in
  // a hidden tab waits until the tab is shown, when it has a size to fit).
  const observer = new IntersectionObserver(
    (entries) => {
      entries.forEach((entry) => {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        load(entry.target);
      });
    },
    { rootMargin: "200px 0px" },
  );
  boxes.forEach((box) => observer.observe(box));
})();
