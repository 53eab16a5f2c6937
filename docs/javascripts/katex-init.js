// Typeset the math that pymdownx.arithmatex (generic mode) leaves as \( ... \) and
// \[ ... \]. Material's document$ emits on the first load and after every instant
// navigation, so math on pages reached by a link is typeset too.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
  });
});
