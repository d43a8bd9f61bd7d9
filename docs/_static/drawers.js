// furo opens its navigation and contents drawers (on narrow screens) with <label>s for hidden
// checkboxes, which a mouse or a finger can use but a keyboard cannot. Each label becomes a
// real button, with the same look and name: a click, Enter or Space opens its drawer (and from
// the keyboard, moves focus into it); Escape closes it and gives focus back to the button.
// Closed drawers are out of the tab order (learning-centre.css), so focus never lands on a link
// off the screen. Without JavaScript the labels stay as furo made them.
"use strict";
(() => {
  const drawers = { __navigation: ".sidebar-drawer", __toc: ".toc-drawer" };

  function firstControl(drawer) {
    return [...drawer.querySelectorAll("a[href], input, button")].find((control) =>
      control.checkVisibility(),
    );
  }

  function setUp() {
    for (const [id, selector] of Object.entries(drawers)) {
      const box = document.getElementById(id);
      const drawer = document.querySelector(selector);
      if (!box || !drawer) continue;
      const buttons = [];
      for (const label of document.querySelectorAll(`label[for="${id}"]:not(.overlay)`)) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = label.className;
        // furo names the checkbox (newer releases) or puts hidden text in the label (older).
        const name = box.getAttribute("aria-label") || label.textContent.trim();
        if (name) button.setAttribute("aria-label", name);
        button.setAttribute("aria-expanded", String(box.checked));
        button.append(...label.childNodes);
        button.addEventListener("click", (event) => {
          box.click();
          // detail 0: Enter or Space, not a pointer.
          if (box.checked && event.detail === 0) {
            setTimeout(() => firstControl(drawer)?.focus(), 0);
          }
        });
        label.replaceWith(button);
        buttons.push(button);
      }
      box.addEventListener("change", () => {
        for (const button of buttons) {
          button.setAttribute("aria-expanded", String(box.checked));
        }
      });
      drawer.addEventListener("keydown", (event) => {
        if (event.key !== "Escape" || !box.checked) return;
        box.click();
        buttons.find((button) => button.checkVisibility())?.focus();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
