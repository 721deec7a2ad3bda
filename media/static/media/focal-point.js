/* Focal point picker for the photo library's admin form.
 *
 * A click on the preview (or the arrow keys, once it has focus) sets the focal_x and focal_y
 * inputs, as fractions of the width and height from the top left corner; a marker shows the
 * point, and two small crops show what a square and a wide frame keep. Typing in the inputs
 * moves the marker too. On a new upload the chosen file is shown by the browser itself, so the
 * point can be set before saving. No dependencies; the server never runs this.
 */
(function () {
  "use strict";

  var STEP = 0.01;

  function clamp(value) {
    value = parseFloat(value);
    if (isNaN(value)) {
      return 0.5;
    }
    return Math.min(1, Math.max(0, value));
  }

  function round(value) {
    return String(Math.round(clamp(value) * 1000) / 1000);
  }

  function setUp(container) {
    var image = container.querySelector("[data-focal-image]");
    var marker = container.querySelector(".focal-point-marker");
    var xInput = document.getElementById(container.dataset.focalX);
    var yInput = document.getElementById(container.dataset.focalY);
    var fileInput = document.getElementById(container.dataset.fileInput);
    var crops = container.parentNode.querySelectorAll(".focal-crop");
    if (!image || !marker || !xInput || !yInput) {
      return;
    }

    function show() {
      var x = clamp(xInput.value) * 100;
      var y = clamp(yInput.value) * 100;
      marker.style.left = x + "%";
      marker.style.top = y + "%";
      marker.hidden = image.hidden;
      crops.forEach(function (crop) {
        crop.hidden = image.hidden || !image.src;
        crop.style.backgroundImage = image.src ? 'url("' + image.src + '")' : "";
        crop.style.backgroundPosition = x + "% " + y + "%";
      });
    }

    function set(x, y) {
      xInput.value = round(x);
      yInput.value = round(y);
      xInput.dispatchEvent(new Event("change", { bubbles: true }));
      yInput.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    }

    image.tabIndex = 0;
    image.title = "Click the point to keep in view when the photo is cropped";
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });
    image.addEventListener("keydown", function (event) {
      var moves = {
        ArrowLeft: [-STEP, 0],
        ArrowRight: [STEP, 0],
        ArrowUp: [0, -STEP],
        ArrowDown: [0, STEP],
      };
      var move = moves[event.key];
      if (move) {
        event.preventDefault();
        set(clamp(xInput.value) + move[0], clamp(yInput.value) + move[1]);
      }
    });
    xInput.addEventListener("input", show);
    yInput.addEventListener("input", show);
    image.addEventListener("load", show);

    if (fileInput && image.hasAttribute("data-from-file-input")) {
      var objectUrl = null;
      fileInput.addEventListener("change", function () {
        var file = fileInput.files && fileInput.files[0];
        if (objectUrl) {
          URL.revokeObjectURL(objectUrl);
          objectUrl = null;
        }
        if (file && /^image\//.test(file.type)) {
          objectUrl = URL.createObjectURL(file);
          image.src = objectUrl;
          image.hidden = false;
        } else {
          image.removeAttribute("src");
          image.hidden = true;
        }
        show();
      });
    }
    show();
  }

  function start() {
    document.querySelectorAll("[data-focal-point]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
