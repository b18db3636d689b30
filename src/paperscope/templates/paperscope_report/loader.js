// paperscope report: plotly.js travels gzip-compressed inside the page (a third of its size),
// is unpacked by the browser's DecompressionStream, and then draws every figure whose data
// sits in a <script type="application/json"> beside its div. No network is used.
(function () {
  "use strict";
  async function unpack(b64) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
  async function draw() {
    const figures = document.querySelectorAll("script.paperscope-figure-data");
    if (figures.length === 0) { document.body.dataset.figuresRendered = "0"; return; }
    try {
      const code = await unpack(document.getElementById("paperscope-plotly-gz").textContent.trim());
      const script = document.createElement("script");
      script.textContent = code;
      document.head.appendChild(script);
    } catch (err) {
      for (const node of figures) {
        const div = document.getElementById(node.dataset.target);
        div.textContent = "This chart needs a browser that supports DecompressionStream.";
      }
      throw err;
    }
    let drawn = 0;
    for (const node of figures) {
      const fig = JSON.parse(node.textContent);
      await window.Plotly.newPlot(node.dataset.target, fig.data, fig.layout || {}, fig.config);
      drawn += 1;
    }
    document.body.dataset.figuresRendered = String(drawn);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
