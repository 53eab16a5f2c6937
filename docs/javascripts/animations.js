// Pause and play for every generated animation (WCAG 2.2.2). The build wraps each GIF in a
// <picture> whose first <source> is its still (the last frame) for readers who asked for
// reduced motion (build_assets/animation_controls.py); this adds a button that switches
// between the two, starting paused for those readers. Mounted on every page load,
// including Material's instant navigation.
(function () {
  "use strict";

  function mount(picture) {
    const img = picture.querySelector("img");
    const still = picture.querySelector("source");
    if (!img || !still || picture.dataset.atlasControls) return;
    picture.dataset.atlasControls = "mounted";
    const link = picture.closest("a");
    const gif = img.getAttribute("src");
    const stillUrl = still.getAttribute("srcset");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "atlas-animation-toggle";

    function show(playing) {
      // A matching <source> wins over the <img>'s src: "all" shows the still, "not all" the GIF.
      still.media = playing ? "not all" : "all";
      if (link) link.href = playing ? gif : stillUrl; // the lightbox opens what is shown
      button.dataset.playing = String(playing);
      button.textContent = playing ? "Pause animation" : "Play animation";
      button.setAttribute("aria-label", (playing ? "Pause animation: " : "Play animation: ") + (img.alt || "").split(":")[0]);
    }

    button.addEventListener("click", () => show(button.dataset.playing !== "true"));
    (link || picture).after(button);
    show(!window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function mountAll() {
    document.querySelectorAll("picture.atlas-animation").forEach(mount);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(mountAll);
  } else {
    document.addEventListener("DOMContentLoaded", mountAll);
  }
})();
