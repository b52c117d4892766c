() => {
  // Every control that is not a word inside running text is at least 44 × 44 px (WCAG 2.5.5
  // asks for it at AAA; the office's phones need it). A link is inside running text when the
  // block around it says more than the link itself.
  const words = (node) => (node.textContent || "").replace(/\s+/g, " ").trim().length;
  const inText = (element) => {
    if (element.tagName !== "A") return false;
    const block = element.parentElement.closest("p, li, dd, dt, td, th, div, small, label, h1, h2, h3, h4, h5, h6, legend, figcaption");
    return Boolean(block) && words(block) > words(element) + 2;
  };
  const small = [];
  const controls = document.querySelectorAll(
    "a[href], button, select, textarea, input:not([type=hidden]), summary, label.btn, [tabindex='0']"
  );
  for (const element of controls) {
    if (element.closest(".visually-hidden, .visually-hidden-focusable, [hidden], .d-none")) continue;
    if (element.classList.contains("file-native")) continue;  // the labelled button stands for it
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (element.type === "checkbox" || element.type === "radio") {
      const row = element.closest(".form-check");
      const rowBox = row ? row.getBoundingClientRect() : box;
      if (box.width < 24 || rowBox.height < 43.5) small.push({what: element.outerHTML.slice(0, 90), width: box.width, height: rowBox.height});
      continue;
    }
    if (inText(element)) continue;
    if (box.height < 43.5 || box.width < 43.5) {
      small.push({what: element.outerHTML.slice(0, 90), width: Math.round(box.width), height: Math.round(box.height)});
    }
  }
  return small;
}
