// furo opens its navigation and contents drawers (on narrow screens) with <label>s for hidden
// checkboxes, which a mouse or a finger can use but a keyboard cannot. This makes each label a
// button the keyboard reaches: Enter or Space opens its drawer and moves focus into it; Escape
// closes it and gives focus back to the button. Closed drawers are out of the tab order
// (learning-centre.css), so focus never lands on a link off the screen.
"use strict";
(() => {
  const drawers = { __navigation: ".sidebar-drawer", __toc: ".toc-drawer" };

  function setUp() {
    for (const [id, selector] of Object.entries(drawers)) {
      const box = document.getElementById(id);
      const drawer = document.querySelector(selector);
      if (!box || !drawer) continue;
      const buttons = document.querySelectorAll(
        `label[for="${id}"]:not(.overlay)`,
      );
      for (const button of buttons) {
        button.setAttribute("role", "button");
        button.setAttribute("tabindex", "0");
        button.setAttribute("aria-label", box.getAttribute("aria-label"));
        button.setAttribute("aria-expanded", String(box.checked));
        button.addEventListener("keydown", (event) => {
          if (event.key !== "Enter" && event.key !== " ") return;
          event.preventDefault();
          box.click();
          if (box.checked) {
            setTimeout(() => {
              const first = [
                ...drawer.querySelectorAll("a[href], input, button"),
              ].find((control) => control.checkVisibility());
              if (first) first.focus();
            }, 0);
          }
        });
      }
      box.addEventListener("change", () => {
        for (const button of buttons) {
          button.setAttribute("aria-expanded", String(box.checked));
        }
      });
      drawer.addEventListener("keydown", (event) => {
        if (event.key !== "Escape" || !box.checked) return;
        box.click();
        const shown = [...buttons].find((button) => button.offsetParent !== null);
        if (shown) shown.focus();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
