// Wagtail's slug helper drops Vietnamese vowels with tone marks ("chuyển" → "chuyn")
// and maps "đ" to "dj". Fold the text the way the server does (news57.text.slugify)
// before Wagtail's own rules run, so the slug an editor sees is the one stored.
(function () {
  function fold(value) {
    return String(value || "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[&'’]/g, "");
  }

  function install() {
    var app = window.wagtail && window.wagtail.app;
    var module = app && app.router.modulesByIdentifier.get("w-slug");
    if (!module) return false;
    var Base = module.definition.controllerConstructor;
    if (Base.foldsVietnamese) return true;
    class VietnameseSlugController extends Base {
      static foldsVietnamese = true;
      prepareValue(value, options) {
        return super.prepareValue(fold(value), options);
      }
    }
    app.register("w-slug", VietnameseSlugController);
    return true;
  }

  if (!install()) document.addEventListener("DOMContentLoaded", install);
})();
