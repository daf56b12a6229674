import Pipeline

/// `GET /`: pick a photo, send it to `POST /api/recommend`, draw the answer. Plain HTML and JS with
/// no external assets, so it works offline; every value from the JSON goes in through
/// `textContent`, never as HTML. `#result[data-state]` is "idle", "loading", "done" or "error"
/// (the headless-browser test waits on it). The form starts at the server's own k and pose gate.
func uploadPage(k: Int, poseGate: PoseGateMode) -> String {
    let options = PoseGateMode.allCases.map { "<option\($0 == poseGate ? " selected" : "")>\($0.rawValue)</option>" }.joined()
    return uploadPageTemplate.replacingOccurrences(of: "{{K}}", with: "\(k)").replacingOccurrences(of: "{{POSE_GATE_OPTIONS}}", with: options)
}

private let uploadPageTemplate = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LookKit: buy me that look</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
  h1 { font-size: 22px; margin: 0 0 12px; }
  form { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; padding: 12px; background: #fff; border: 1px solid #ddd; border-radius: 6px; }
  #layout { display: flex; gap: 24px; margin-top: 16px; align-items: flex-start; }
  #stage { position: relative; display: inline-block; flex: none; }
  /* A fixed width, so small photos are enlarged and large ones shrunk; boxes follow the scale. */
  #stage img { display: block; width: 360px; height: auto; }
  .box { position: absolute; border: 3px solid; box-sizing: border-box; }
  .box span { position: absolute; left: -3px; top: -22px; color: #fff; font-size: 12px; padding: 2px 5px; white-space: nowrap; }
  #facts { font-size: 14px; margin-bottom: 12px; }
  .verdict { font-weight: 600; padding: 2px 6px; border-radius: 4px; color: #fff; }
  .ok { background: #2ca02c; } .no { background: #d62728; }
  h2 { font-size: 16px; margin: 16px 0 6px; }
  .row { display: flex; gap: 8px; flex-wrap: wrap; }
  figure { margin: 0; width: 96px; font-size: 11px; text-align: center; }
  figure img { width: 96px; height: 96px; object-fit: cover; border: 1px solid #ccc; background: #fff; }
  #error { color: #d62728; font-weight: 600; }
  table { border-collapse: collapse; font-size: 12px; } td { padding: 1px 8px 1px 0; }
</style>
</head>
<body>
<h1>Buy me that look</h1>
<form id="upload">
  <input type="file" id="photo" name="photo" accept="image/jpeg,image/png,image/webp" required>
  <label>products per row <input type="number" id="k" min="1" max="50" value="{{K}}" style="width:4em"></label>
  <label>pose gate <select id="pose_gate">{{POSE_GATE_OPTIONS}}</select></label>
  <button type="submit" id="submit">Recommend</button>
</form>
<div id="result" data-state="idle">
  <p id="error"></p>
  <div id="layout">
    <div id="stage"></div>
    <div id="details"><div id="facts"></div><div id="rows"></div></div>
  </div>
</div>
<script>
const colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const result = document.getElementById("result");

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function productRow(title, products) {
  const section = element("section");
  section.appendChild(element("h2", title));
  const row = element("div", undefined, "row");
  for (const product of products) {
    const figure = element("figure");
    const img = element("img");
    img.src = "/api/products/" + encodeURIComponent(product.id) + "/image";
    img.alt = product.id;
    figure.appendChild(img);
    figure.title = product.id + " (" + product.category + ", " + product.gender + ")";
    // Ids can be paths ("train/dress/22cc…"): the last part tells products apart.
    figure.appendChild(element("figcaption", product.id.split("/").pop().slice(0, 10) + " · " + product.score.toFixed(2)));
    row.appendChild(figure);
  }
  if (products.length === 0) row.appendChild(element("span", "no products"));
  section.appendChild(row);
  return section;
}

// Boxes are in the photo's pixels; scale them to the size the image is shown at.
function drawBoxes(stage, img, articles) {
  const scale = img.clientWidth / img.naturalWidth;
  articles.forEach((article, i) => {
    const [x1, y1, x2, y2] = article.box;
    const box = element("div", undefined, "box");
    const colour = colours[i % colours.length];
    Object.assign(box.style, { left: x1 * scale + "px", top: y1 * scale + "px",
      width: (x2 - x1) * scale + "px", height: (y2 - y1) * scale + "px", borderColor: colour });
    const label = element("span", article.class + " " + article.score.toFixed(2));
    label.style.background = colour;
    box.appendChild(label);
    stage.appendChild(box);
  });
}

function render(file, answer) {
  const stage = document.getElementById("stage"), facts = document.getElementById("facts"), rows = document.getElementById("rows");
  const img = element("img");
  img.alt = answer.photo;
  const loaded = new Promise(resolve => { img.onload = resolve; img.onerror = resolve; });
  img.src = URL.createObjectURL(file);
  stage.appendChild(img);

  const pose = answer.pose;
  const verdict = element("span", pose.accepted ? "pose accepted" : "pose rejected", "verdict " + (pose.accepted ? "ok" : "no"));
  const line = element("p");
  line.appendChild(verdict);
  line.appendChild(document.createTextNode(" full shot: " + pose.full_shot + ", front facing: " + pose.front_facing
    + (pose.reason ? " (" + pose.reason + ")" : "")));
  facts.appendChild(line);
  facts.appendChild(element("p", answer.gender ? "gender: " + answer.gender.label + " (" + answer.gender.score.toFixed(2) + ")" : "gender: not run"));
  const timings = element("table");
  for (const [stage, ms] of Object.entries(answer.timings_ms)) {
    const tr = element("tr");
    tr.appendChild(element("td", stage));
    tr.appendChild(element("td", ms.toFixed(1) + " ms"));
    timings.appendChild(tr);
  }
  facts.appendChild(timings);

  answer.articles.forEach((article, i) => rows.appendChild(productRow("Similar to the " + article.class + " (box " + (i + 1) + ")", article.similar)));
  for (const group of answer.complete_the_look) rows.appendChild(productRow("Complete the look: " + group.category, group.items));
  if (answer.articles.length === 0 && answer.complete_the_look.length === 0) rows.appendChild(element("p", "no recommendations"));

  const thumbnails = Array.from(rows.querySelectorAll("img")).map(t => t.complete ? Promise.resolve()
    : new Promise(resolve => { t.onload = resolve; t.onerror = resolve; }));
  return Promise.all([loaded, ...thumbnails]).then(() => drawBoxes(stage, img, answer.articles));
}

document.getElementById("upload").addEventListener("submit", async event => {
  event.preventDefault();
  const file = document.getElementById("photo").files[0];
  if (!file) return;
  for (const id of ["stage", "facts", "rows"]) document.getElementById(id).replaceChildren();
  document.getElementById("error").textContent = "";
  result.dataset.state = "loading";
  const form = new FormData();
  form.append("photo", file, file.name);
  const query = new URLSearchParams({ k: document.getElementById("k").value, pose_gate: document.getElementById("pose_gate").value });
  try {
    const response = await fetch("/api/recommend?" + query, { method: "POST", body: form });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || response.statusText);
    await render(file, answer);
    result.dataset.state = "done";
  } catch (error) {
    document.getElementById("error").textContent = String(error.message || error);
    result.dataset.state = "error";
  }
});
</script>
</body>
</html>
"""#
