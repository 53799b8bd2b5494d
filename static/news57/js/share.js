// The share bar's copy link and the print view's print button. Without this script the copy link
// is a plain link to the page (to press and hold) and the browser's own menu prints.
(function () {
  "use strict";

  function copied(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http outside localhost has no clipboard API: copy from a selected, unseen field.
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      document.body.removeChild(field);
      if (done) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  document.querySelectorAll("[data-copy-link]").forEach(function (link) {
    var status = link.closest(".share").querySelector("[data-copy-status]");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      copied(link.href).then(
        function () { status.textContent = link.dataset.copied; },
        function () { status.textContent = link.dataset.failed; }
      );
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
