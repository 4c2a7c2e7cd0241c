// Zoom, pan and neighbour highlighting for the network maps the server draws (svg[data-map]),
// as progressive enhancement: without this script a map is a still picture whose nodes are
// links. Zoom and pan change the viewBox (wheel, two-finger pinch, dragging, and buttons
// this script adds); pointing at or focusing a node marks it and its neighbours with
// classes that the site's style sheet colours; Escape clears the marks.
(function () {
  'use strict';
  var MIN = 1, MAX = 12;
  var en = (document.documentElement.getAttribute('lang') || '').indexOf('en') === 0;
  function words(nl, english) { return en ? english : nl; }

  function attach(svg) {
    var home = (svg.getAttribute('data-viewbox') || svg.getAttribute('viewBox') || '0 0 800 600')
      .split(/[\s,]+/).map(Number);
    var view = home.slice();
    svg.classList.add('is-zoomable');
    var byIndex = {};
    Array.prototype.forEach.call(svg.querySelectorAll('a.node'), function (a) {
      byIndex[a.getAttribute('data-i')] = a;
    });
    var links = svg.querySelectorAll('a.link');
    var labels = svg.querySelectorAll('text[data-for]');

    // Shows `view`. Only a zoomed map takes one-finger drags for itself (`is-zoomed`,
    // see the style sheet): the whole map lets them scroll the page, as without script.
    function show() {
      svg.setAttribute('viewBox', view.map(function (v) { return Math.round(v * 100) / 100; }).join(' '));
      svg.classList.toggle('is-zoomed', view[2] < home[2]);
    }

    // Zooms by `factor` around the point (px, py) of the picture, kept within MIN..MAX
    // times the whole map and never panned off it.
    function zoom(factor, px, py) {
      var scale = home[2] / (view[2] / factor);
      if (scale < MIN) factor = view[2] / home[2];
      if (scale > MAX) factor = view[2] * MAX / home[2];
      var w = view[2] / factor, h = view[3] / factor;
      view = [px - (px - view[0]) / factor, py - (py - view[1]) / factor, w, h];
      clamp();
      show();
    }
    function clamp() {
      view[0] = Math.min(Math.max(view[0], home[0]), home[0] + home[2] - view[2]);
      view[1] = Math.min(Math.max(view[1], home[1]), home[1] + home[3] - view[3]);
    }
    // The point of the picture under the client coordinates (x, y).
    function at(x, y) {
      var box = svg.getBoundingClientRect();
      var s = Math.max(view[2] / box.width, view[3] / box.height);
      // preserveAspectRatio's default centres the picture in the box.
      var ox = (box.width - view[2] / s) / 2, oy = (box.height - view[3] / s) / 2;
      return [view[0] + (x - box.left - ox) * s, view[1] + (y - box.top - oy) * s, s];
    }
    function centre() { return [view[0] + view[2] / 2, view[1] + view[3] / 2]; }

    svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      var p = at(e.clientX, e.clientY);
      zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, p[0], p[1]);
    }, { passive: false });

    // Pointers down: one drags the picture, two pinch it. A drag of more than a few pixels
    // is a pan, and the click that ends it does not follow the link under it.
    var pointers = {}, dragged = false, pinch = 0;
    function count() { return Object.keys(pointers).length; }
    function spread() {
      var ids = Object.keys(pointers), a = pointers[ids[0]], b = pointers[ids[1]];
      return Math.hypot(a.x - b.x, a.y - b.y);
    }
    svg.addEventListener('pointerdown', function (e) {
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY, x0: e.clientX, y0: e.clientY };
      dragged = false;
      if (count() === 2) pinch = spread();
    });
    svg.addEventListener('pointermove', function (e) {
      var p = pointers[e.pointerId];
      if (!p) return;
      var dx = e.clientX - p.x, dy = e.clientY - p.y;
      p.x = e.clientX; p.y = e.clientY;
      if (count() === 2) {
        var now = spread();
        if (pinch > 0 && now > 0) {
          var c = centre();
          zoom(now / pinch, c[0], c[1]);
        }
        pinch = now;
        dragged = true;
        return;
      }
      if (!dragged && Math.hypot(e.clientX - p.x0, e.clientY - p.y0) < 4) return;
      if (!dragged) svg.setPointerCapture(e.pointerId);
      dragged = true;
      var s = at(0, 0)[2];
      view[0] -= dx * s; view[1] -= dy * s;
      clamp();
      show();
    });
    function up(e) { delete pointers[e.pointerId]; pinch = 0; }
    svg.addEventListener('pointerup', up);
    svg.addEventListener('pointercancel', up);
    svg.addEventListener('click', function (e) {
      if (dragged) { e.preventDefault(); dragged = false; }
    }, true);

    // Buttons before the map: zoom in, zoom out, the whole map again.
    var bar = document.createElement('div');
    bar.className = 'map-tools';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', words('Zoomen', 'Zoom'));
    [['+', words('Inzoomen', 'Zoom in'), function () { var c = centre(); zoom(1.5, c[0], c[1]); }],
     ['\u2212', words('Uitzoomen', 'Zoom out'), function () { var c = centre(); zoom(1 / 1.5, c[0], c[1]); }],
     [words('Hele kaart', 'Whole map'), null, function () { view = home.slice(); show(); }]
    ].forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.textContent = b[0];
      if (b[1]) button.setAttribute('aria-label', b[1]);
      button.addEventListener('click', b[2]);
      bar.appendChild(button);
    });
    svg.parentNode.insertBefore(bar, svg);

    // Highlighting: the node, its neighbours and the links between them.
    function clear() {
      svg.classList.remove('is-active');
      Array.prototype.forEach.call(svg.querySelectorAll('.is-hot, .is-near'), function (el) {
        el.classList.remove('is-hot', 'is-near');
      });
    }
    function light(node) {
      clear();
      var i = node.getAttribute('data-i');
      var near = (node.getAttribute('data-n') || '').split(' ').filter(Boolean);
      var marked = {};
      marked[i] = true;
      svg.classList.add('is-active');
      node.classList.add('is-hot');
      near.forEach(function (j) {
        marked[j] = true;
        if (byIndex[j]) byIndex[j].classList.add('is-near');
      });
      Array.prototype.forEach.call(links, function (l) {
        if (l.getAttribute('data-from') === i || l.getAttribute('data-to') === i) l.classList.add('is-hot');
      });
      Array.prototype.forEach.call(labels, function (t) {
        var j = t.getAttribute('data-for');
        if (marked[j]) t.classList.add(j === i ? 'is-hot' : 'is-near');
      });
    }
    function nodeOf(target) {
      return target && target.closest ? target.closest('a.node') : null;
    }
    svg.addEventListener('mouseover', function (e) { var n = nodeOf(e.target); if (n) light(n); });
    svg.addEventListener('mouseleave', clear);
    // Focus is watched on the document: Chromium makes an SVG element with focus
    // listeners of its own a tab stop.
    document.addEventListener('focusin', function (e) {
      var n = svg.contains(e.target) ? nodeOf(e.target) : null;
      if (n) light(n);
    });
    document.addEventListener('focusout', function (e) {
      if (svg.contains(e.target) && !svg.contains(e.relatedTarget)) clear();
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' || e.key === 'Esc') clear();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('svg[data-map]'), attach);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
