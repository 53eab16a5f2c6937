// Mount the playground where a page has one (docs/playground.md). Material's document$
// emits on the first load and after every instant navigation, so the widget is mounted
// again when the reader comes back to the page. The bundle is loaded only on that page.
document$.subscribe(() => {
  const root = document.getElementById("optimizer-playground");
  if (!root) return;
  import(new URL(root.dataset.bundle, window.location.href).href)
    .then((module) => module.mount(root))
    .catch((error) => {
      root.textContent = `The playground could not start: ${error.message}`;
      throw error;
    });
});
