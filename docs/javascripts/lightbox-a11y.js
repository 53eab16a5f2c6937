// The lightbox (glightbox) builds its dialog when a figure is opened and removes it when
// it closes. Give the dialog a name, and drop the heading role of the empty title that each
// slide carries (the figures' text is their alt text and caption, build_assets/
// accessible_markup.py). Watching the page, rather than calling glightbox, keeps this
// independent of when and how the lightbox script is loaded.
(() => {
  const DIALOG_NAME = "Enlarged figure";

  function fixDialog(dialog) {
    if (!dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", DIALOG_NAME);
      dialog.setAttribute("aria-modal", "true");
    }
    for (const title of dialog.querySelectorAll("h4.gslide-title")) {
      if (!title.textContent.trim()) {
        const plain = document.createElement("div");
        plain.className = title.className;
        title.replaceWith(plain);
      }
    }
  }

  new MutationObserver(() => {
    const dialog = document.querySelector(".glightbox-container");
    if (dialog) fixDialog(dialog);
  }).observe(document.body, { childList: true, subtree: true });
})();
