// Genba preview renderer: draws a page snapshot (component tree with resolved props) and sends
// prop writes and component events back. Requests go out one at a time, in order.
"use strict";
const PAGE = document.body.dataset.page;
let queue = Promise.resolve();
let current = null;      // last snapshot
let shape = null;        // structure signature of the rendered tree
const updaters = {};     // component id -> function(node)

function post(url, body) {
  queue = queue.then(() => fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(Object.assign({page: PAGE}, body))}))
    .then(r => r.text()).then(t => { if (t && t[0] === "{") { const s = JSON.parse(t); if (s.tree) apply(s); } })
    .catch(e => notice({where: "preview", error: String(e)}));
  return queue;
}
const write = (node, prop, value) => post("/api/write", {id: node.id, prop: prop, value: value});
const fire = (node, event, data) => post("/api/event", {id: node.id, event: event, data: data || {}});

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}
function css(e, style) {
  if (!style || typeof style !== "object") return;
  for (const k of Object.keys(style)) { if (k !== "classes") e.style[k] = style[k]; }
}
function fmt(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "number" && !Number.isInteger(v)) return String(Math.round(v * 1000) / 1000);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
function place(e, node, parentType) {
  const p = node.position || {};
  if (parentType === "ia.container.coord") {
    e.style.position = "absolute";
    for (const [k, c] of [["x", "left"], ["y", "top"], ["width", "width"], ["height", "height"]]) {
      if (p[k] !== undefined) e.style[c] = typeof p[k] === "number" ? p[k] + "px" : p[k];
    }
  } else if (parentType === "ia.container.column") {
    e.style.gridColumn = "span " + (p.width || 12);
  } else {
    e.style.flex = (p.grow !== undefined ? p.grow : 0) + " " + (p.shrink !== undefined ? p.shrink : 1) +
      " " + (p.basis || "auto");
  }
}
function common(e, node) {
  e.dataset.component = node.name;
  e.dataset.type = node.type;
  e.dataset.id = node.id;
  e.style.display = node.visible === false ? "none" : "";
  css(e, node.props.style);
  const errs = Object.keys(node.errors || {});
  e.classList.toggle("has-error", errs.length > 0);
  let badge = e.querySelector(":scope > .binding-error");
  if (errs.length) {
    if (!badge) { badge = el("span", "binding-error"); e.appendChild(badge); }
    badge.textContent = "\u26a0 " + errs.map(k => k + ": " + node.errors[k]).join("; ");
  } else if (badge) badge.remove();
}
function dom(node) {  // click on any component with a dom onClick event
  return (e) => { if (node.events.includes("onClick")) e.addEventListener("click", () => fire(node, "onClick")); };
}
function rows(data) {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data.rows) && Array.isArray(data.columns)) {
    return data.rows.map(r => Object.fromEntries(data.columns.map((c, i) => [c.name || c, r[i]])));
  }
  return [];
}

const R = {};
function container(kind) {
  return (node, build) => {
    const e = el("div", "c-" + kind);
    for (const child of node.children) e.appendChild(build(child, node.type));
    return [e, (n) => {
      const p = n.props;
      if (kind === "flex") {
        e.style.flexDirection = p.direction || "row";
        e.style.flexWrap = p.wrap || "nowrap";
        e.style.justifyContent = p.justify || "flex-start";
        e.style.alignItems = p.alignItems || "stretch";
        e.style.alignContent = p.alignContent || "stretch";
      }
    }];
  };
}
R["ia.container.flex"] = container("flex");
R["ia.container.coord"] = container("coord");
R["ia.container.column"] = container("column");
R["ia.display.label"] = () => { const e = el("div", "c-label"); return [e, (n) => { e.textContent = fmt(n.props.text); }]; };
R["ia.input.button"] = (node) => {
  const e = el("button", "c-button");
  e.addEventListener("click", () => {
    if (e.disabled) return;
    if (current_node(node).events.includes("onActionPerformed")) fire(node, "onActionPerformed");
    if (current_node(node).events.includes("onClick")) fire(node, "onClick");
  });
  return [e, (n) => { e.textContent = fmt(n.props.text); e.disabled = n.props.enabled === false; }];
};
function textInput(type) {
  return (node) => {
    const e = el(type === "area" ? "textarea" : "input", "c-input");
    if (type !== "area") e.type = type;
    e.addEventListener("change", () => write(node, "props.text", e.value));
    e.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && type !== "area") {
        write(node, "props.text", e.value);
        if (current_node(node).events.includes("onActionPerformed")) fire(node, "onActionPerformed");
      }
    });
    return [e, (n) => {
      if (document.activeElement !== e) e.value = fmt(n.props.text);
      e.placeholder = fmt(n.props.placeholder); e.disabled = n.props.enabled === false;
    }];
  };
}
R["ia.input.text-field"] = textInput("text");
R["ia.input.password-field"] = textInput("password");
R["ia.input.text-area"] = textInput("area");
R["ia.input.numeric-entry-field"] = (node) => {
  const e = el("input", "c-input c-numeric"); e.type = "number"; e.step = "any";
  e.addEventListener("change", () => write(node, "props.value", e.value === "" ? null : Number(e.value)));
  return [e, (n) => { if (document.activeElement !== e) e.value = fmt(n.props.value); e.disabled = n.props.enabled === false; }];
};
R["ia.input.dropdown"] = (node) => {
  const e = el("select", "c-input c-dropdown");
  e.addEventListener("change", () => {
    const o = (current_node(node).props.options || [])[e.selectedIndex - 1];
    write(node, "props.value", o ? o.value : null);
  });
  return [e, (n) => {
    const opts = n.props.options || [];
    const sig = JSON.stringify(opts);
    if (e.dataset.sig !== sig) {
      e.innerHTML = "";
      const ph = el("option", "", (n.props.placeholder && n.props.placeholder.text) || "Select...");
      ph.disabled = true; e.appendChild(ph);
      for (const o of opts) e.appendChild(el("option", "", fmt(o.label !== undefined ? o.label : o.value)));
      e.dataset.sig = sig;
    }
    const i = opts.findIndex(o => o.value === n.props.value);
    e.selectedIndex = i + 1;
    e.disabled = n.props.enabled === false;
  }];
};
R["ia.input.checkbox"] = (node) => {
  const e = el("label", "c-checkbox"); const box = el("input"); box.type = "checkbox";
  const t = el("span"); e.append(box, t);
  box.addEventListener("change", () => write(node, "props.selected", box.checked));
  return [e, (n) => { box.checked = !!n.props.selected; t.textContent = fmt(n.props.text); }];
};
R["ia.display.table"] = (node) => {
  const e = el("div", "c-table"); const table = el("table"); e.appendChild(table);
  return [e, (n) => {
    const data = rows(n.props.data);
    let cols = (n.props.columns || []).filter(c => c.visible !== false && c.field);
    if (!cols.length && data.length) cols = Object.keys(data[0]).map(f => ({field: f}));
    const sel = (n.props.selection || {}).selectedRow;
    const sig = JSON.stringify([data, cols, sel]);
    if (e.dataset.sig === sig) return;  // unchanged: keep the rows (and the user's place)
    e.dataset.sig = sig;
    table.innerHTML = "";
    const head = el("tr");
    for (const c of cols) head.appendChild(el("th", "", (c.header && c.header.title) || c.field));
    table.appendChild(el("thead")).appendChild(head);
    const body = table.appendChild(el("tbody"));
    data.forEach((r, i) => {
      const tr = el("tr", i === sel ? "selected" : "");
      for (const c of cols) {
        const td = el("td", "", fmt(r[c.field]));
        const v = String(r[c.field]);
        if (["held", "hold", "on_hold", "fail", "failed", "open", "quarantine"].includes(v)) td.className = "bad";
        if (["running", "in_progress", "released", "pass", "passed", "complete"].includes(v)) td.className = "good";
        tr.appendChild(td);
      }
      tr.addEventListener("click", () => {
        write(n, "props.selection", Object.assign({}, n.props.selection || {}, {data: [r], selectedRow: i}));
        if (current_node(n).events.includes("onRowClick")) fire(n, "onRowClick", {row: i, value: r});
      });
      body.appendChild(tr);
    });
    if (!data.length) { const tr = el("tr", "empty"); const td = el("td", "", "No rows"); td.colSpan = cols.length || 1; tr.appendChild(td); body.appendChild(tr); }
  }];
};
function markdown(src) {
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const inline = (s) => esc(s).replace(/\*\*(.+?)\*\*/g, "<b>$1</b>").replace(/`(.+?)`/g, "<code>$1</code>");
  let out = "", list = false;
  for (const line of String(src || "").split("\n")) {
    const h = line.match(/^(#{1,4})\s+(.*)$/), li = line.match(/^\s*[-*]\s+(.*)$/);
    if (li) { if (!list) { out += "<ul>"; list = true; } out += "<li>" + inline(li[1]) + "</li>"; continue; }
    if (list) { out += "</ul>"; list = false; }
    if (h) out += "<h" + h[1].length + ">" + inline(h[2]) + "</h" + h[1].length + ">";
    else if (line.trim()) out += "<p>" + inline(line) + "</p>";
  }
  return out + (list ? "</ul>" : "");
}
R["ia.display.markdown"] = () => { const e = el("div", "c-markdown"); return [e, (n) => { e.innerHTML = markdown(n.props.source); }]; };
R["ia.display.tree"] = (node) => {
  const e = el("div", "c-tree");
  const draw = (items, path) => {
    const ul = el("ul");
    (items || []).forEach((it, i) => {
      const li = el("li"); const p = path.concat([i]);
      const lab = el("span", "item", fmt(it.label)); li.appendChild(lab);
      lab.addEventListener("click", () => {
        write(node, "props.selection", [p.join("/")]);
        if (current_node(node).events.includes("onItemClicked")) fire(node, "onItemClicked", {itemPath: p, label: it.label, data: it.data});
      });
      if (it.items && it.items.length && it.expanded !== false) li.appendChild(draw(it.items, p));
      ul.appendChild(li);
    });
    return ul;
  };
  return [e, (n) => {
    const sig = JSON.stringify(n.props.items || []);
    if (e.dataset.sig === sig) return;
    e.dataset.sig = sig; e.innerHTML = ""; e.appendChild(draw(n.props.items, []));
  }];
};
R["ia.chart.xy"] = () => {
  const e = el("div", "c-chart");
  return [e, (n) => {
    const W = Math.max(e.clientWidth, 300), H = Math.max(e.clientHeight, 180);
    const m = {l: 56, r: 16, t: 28, b: 44};
    const series = (n.props.series || []).filter(s => s.visible !== false);
    const src = (s) => rows((n.props.dataSources || {})[(s.data || {}).source]);
    const first = series.length ? src(series[0]) : [];
    const xs = first.map(r => r[series[0].data.x]);
    let lo = Infinity, hi = -Infinity;
    for (const s of series) for (const r of src(s)) { const v = Number(r[s.data.y]); if (isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    if (series.some(s => s.render === "column")) lo = Math.min(lo, 0);
    const pad = (hi - lo) * 0.08 || 1; lo -= series.some(s => s.render === "column") ? 0 : pad; hi += pad;
    const X = (i) => m.l + (xs.length <= 1 ? 0.5 : (i + 0.5) / xs.length) * (W - m.l - m.r);
    const Y = (v) => m.t + (1 - (v - lo) / (hi - lo)) * (H - m.t - m.b);
    let svg = `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`;
    for (let k = 0; k <= 4; k++) {
      const v = lo + (hi - lo) * k / 4, y = Y(v);
      svg += `<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" class="grid"/><text x="${m.l - 6}" y="${y + 4}" class="tick" text-anchor="end">${fmt(Math.round(v * 100) / 100)}</text>`;
    }
    const every = Math.ceil(xs.length / 12) || 1;
    xs.forEach((x, i) => { if (i % every === 0) svg += `<text x="${X(i)}" y="${H - m.b + 16}" class="tick" text-anchor="middle">${fmt(x).slice(0, 14)}</text>`; });
    const cols = series.filter(s => s.render === "column");
    series.forEach((s, si) => {
      const data = src(s), color = (s.color || (s.line && s.line.appearance && s.line.appearance.stroke && s.line.appearance.stroke.color) ||
        (s.column && s.column.appearance && s.column.appearance.fill && s.column.appearance.fill.color) || ["#2563eb", "#dc2626", "#16a34a", "#9333ea"][si % 4]);
      if (s.render === "column") {
        const bw = (W - m.l - m.r) / Math.max(xs.length, 1) * 0.7 / cols.length, ci = cols.indexOf(s);
        data.forEach((r, i) => { const v = Number(r[s.data.y]); const x = X(i) - bw * cols.length / 2 + ci * bw;
          svg += `<rect x="${x}" y="${Y(Math.max(v, 0))}" width="${bw}" height="${Math.abs(Y(0) - Y(v))}" fill="${color}"><title>${fmt(r[s.data.x])}: ${fmt(v)}</title></rect>`;
          svg += `<text x="${x + bw / 2}" y="${Y(Math.max(v, 0)) - 4}" class="val" text-anchor="middle">${fmt(v)}</text>`; });
      } else {
        const dash = (s.line && s.line.appearance && s.line.appearance.stroke && s.line.appearance.stroke.dashArray) || "";
        const pts = data.map((r, i) => `${X(i)},${Y(Number(r[s.data.y]))}`).join(" ");
        svg += `<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2" stroke-dasharray="${dash}"/>`;
        if (!dash) data.forEach((r, i) => { svg += `<circle cx="${X(i)}" cy="${Y(Number(r[s.data.y]))}" r="3.5" fill="${color}"/>`; });
      }
      svg += `<text x="${m.l + 8 + si * 110}" y="16" class="legend" fill="${color}">\u25a0 ${fmt(s.name || s.data.y)}</text>`;
    });
    e.innerHTML = svg + "</svg>";
  }];
};
function placeholder(node) {
  const e = el("div", "c-unsupported");
  e.textContent = "Unsupported component " + node.type + " \u2014 " + node.name;
  return [e, () => {}];
}

let byId = {};
function current_node(node) { return byId[node.id] || node; }
function signature(node) { return node.id + ":" + node.type + "[" + node.children.map(signature).join(",") + "]"; }
function build(node, parentType) {
  const [e, update] = (R[node.type] || placeholder)(node, build);
  place(e, node, parentType);
  dom(node)(e);
  updaters[node.id] = (n) => { update(n); common(e, n); };
  return e;
}
function index(node) { byId[node.id] = node; node.children.forEach(index); }
function updateAll(node) { if (updaters[node.id]) updaters[node.id](node); node.children.forEach(updateAll); }

function bar(s) {
  const b = document.getElementById("bar");
  const key = [s.title, s.user, s.virtual].join("|");
  if (b.dataset.key !== key) {
    b.dataset.key = key; b.innerHTML = "";
    b.append(el("span", "brand", "Genba"), el("span", "title", s.title));
    b.appendChild(el("span", "clock")).id = "clock";
    if (s.virtual) {
      for (const [label, sec] of [["+1 min", 60], ["+15 min", 900]]) {
        const btn = el("button", "tick", label);
        btn.addEventListener("click", () => post("/api/clock", {advance: sec}));
        b.appendChild(btn);
      }
    }
    const user = el("span", "user"); b.appendChild(user);
    if (s.user) {
      user.append(el("span", "who", s.user));
      const out = el("button", "", "Sign out"); out.id = "logout-button";
      out.addEventListener("click", () => post("/api/logout", {})); user.appendChild(out);
    } else {
      const u = el("input"); u.id = "login-user"; u.placeholder = "user";
      const p = el("input"); p.id = "login-password"; p.type = "password"; p.placeholder = "password";
      const go = el("button", "", "Sign in"); go.id = "login-button";
      go.addEventListener("click", () => post("/api/login", {username: u.value, password: p.value}));
      user.append(u, p, go);
    }
  }
  document.getElementById("clock").textContent = s.clock.replace("T", " ").slice(0, 19) + (s.virtual ? " (virtual)" : "");
}
let shownNotices = 0;
function notice(n) {
  const box = document.getElementById("notices");
  const d = el("div", "notice", n.where + ": " + n.error); box.appendChild(d);
  setTimeout(() => d.remove(), 10000);
}
function apply(s) {
  if (s.navigate) {
    const q = new URLSearchParams(s.navigate.params || {}).toString();
    location.href = "/view/" + s.navigate.view + (q ? "?" + q : ""); return;
  }
  current = s;
  bar(s);
  const trees = [s.tree].concat(s.popups.map(p => p.tree));
  const sig = trees.map(signature).join("|") + s.popups.map(p => p.id + p.title).join("|");
  byId = {}; trees.forEach(index);
  if (sig !== shape) {
    shape = sig;
    const view = document.getElementById("view"); view.innerHTML = "";
    for (const k of Object.keys(updaters)) delete updaters[k];
    const root = build(s.tree, null); root.classList.add("root"); view.appendChild(root);
    const pops = document.getElementById("popups"); pops.innerHTML = "";
    for (const p of s.popups) {
      const shade = el("div", "shade"), box = el("div", "popup"), head = el("div", "popup-title", p.title);
      box.dataset.popup = p.id; box.append(head, build(p.tree, null)); shade.appendChild(box); pops.appendChild(shade);
    }
  }
  trees.forEach(updateAll);
  for (const n of s.notices || []) { if (n.seq > shownNotices) { notice(n); shownNotices = n.seq; } }
  document.body.dataset.ready = "1";
}
fetch("/api/snapshot?page=" + PAGE).then(r => r.json()).then(apply);
const es = new EventSource("/api/events?page=" + PAGE);
es.onmessage = (m) => queue = queue.then(() => apply(JSON.parse(m.data)));
window.addEventListener("resize", () => { if (current) current.tree && [current.tree].forEach(updateAll); });
