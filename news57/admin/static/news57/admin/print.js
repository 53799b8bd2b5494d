// The report's print button: shown only where it can work (a page without JavaScript prints from the browser's menu).
for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
}
