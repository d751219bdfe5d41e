// Reading comforts, each optional: the page reads fully without them.
// - the dark/light toggle (the choice is stored; an inline script in <head> applies it before paint)
// - heading anchors copy a link to their section
// - previews of linked notes on hover or keyboard focus (from previews.json; only where a pointer can hover)
// - the table of contents starts open beside the note on wide screens
// - search shortcuts: / and Ctrl/Cmd+K (and the header box) open the search dialog, which search.js draws;
//   on the search page they go to its box

const PREVIEWS = new URL("../previews.json", import.meta.url).href;
const THEME_KEY = "dsguide-theme";
const root = document.documentElement;

function announce(text) {
  let region = document.getElementById("site-announce");
  if (!region) {
    region = document.createElement("p");
    region.id = "site-announce";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    document.body.append(region);
  }
  region.textContent = "";
  requestAnimationFrame(() => { region.textContent = text; });
}

// --- theme ----------------------------------------------------------------------------------------------

function currentTheme() {
  const chosen = root.getAttribute("data-theme");
  if (chosen) return chosen;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function setUpTheme() {
  const button = document.querySelector(".theme-toggle");
  if (!button) return;
  const show = () => button.setAttribute("aria-pressed", String(currentTheme() === "dark"));
  show();
  button.addEventListener("click", () => {
    const next = currentTheme() === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode: this page only */ }
    show();
  });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", show);
}

// --- heading anchors --------------------------------------------------------------------------------------

function setUpAnchors() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.heading-anchor");
    if (!link || !navigator.clipboard) return;
    const url = new URL(link.getAttribute("href"), window.location.href);
    url.search = ""; // no ?highlight= in a shared link
    navigator.clipboard.writeText(url.href).then(() => announce("Link to this section copied"), () => {});
  });
}

// --- previews ----------------------------------------------------------------------------------------------

function setUpPreviews() {
  if (!window.matchMedia("(hover: hover)").matches) return; // touch screens: a tap opens the link
  const links = [...document.querySelectorAll(".prose a[href], .backlinks a[href], .path-steps a[href]")]
    .filter((a) => new URL(a.href, window.location.href).origin === window.location.origin);
  if (!links.length) return;
  let previews = null;
  const load = () => (previews = previews || fetch(PREVIEWS).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
  const card = document.createElement("div");
  card.id = "link-preview";
  card.className = "link-preview";
  card.setAttribute("role", "tooltip");
  card.hidden = true;
  document.body.append(card);
  let current = null;
  let hideTimer = null;

  async function show(link) {
    clearTimeout(hideTimer);
    const path = new URL(link.href, window.location.href).pathname;
    const entry = (await load())[path];
    if (!entry || path === window.location.pathname) return;
    if (current && current !== link) current.removeAttribute("aria-describedby");
    current = link;
    card.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = entry.title;
    const summary = document.createElement("span");
    summary.textContent = entry.summary;
    card.append(title, summary);
    card.hidden = false;
    link.setAttribute("aria-describedby", card.id);
    const box = link.getBoundingClientRect();
    const width = Math.min(352, document.documentElement.clientWidth - 16);
    card.style.width = width + "px";
    card.style.left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8)) + "px";
    card.style.top = (box.bottom + window.scrollY + 6) + "px";
  }

  function hide() {
    card.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  const later = () => { hideTimer = setTimeout(hide, 250); };
  for (const link of links) {
    link.addEventListener("mouseenter", () => show(link));
    link.addEventListener("mouseleave", later);
    link.addEventListener("focus", () => show(link));
    link.addEventListener("blur", hide);
  }
  card.addEventListener("mouseenter", () => clearTimeout(hideTimer)); // the preview can be hovered
  card.addEventListener("mouseleave", later);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !card.hidden) hide(); });
}

// --- table of contents ---------------------------------------------------------------------------------------

function setUpToc() {
  const toc = document.querySelector("details.toc-box");
  if (toc && window.matchMedia("(min-width: 64rem)").matches) toc.open = true;
}

// --- search shortcuts ----------------------------------------------------------------------------------------

const SEARCH = new URL("search.js", import.meta.url).href;

function editable(target) {
  return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function openSearch(text) {
  const box = document.getElementById("search-q");
  if (box) {
    box.focus();
    box.select();
    return;
  }
  const dialog = document.getElementById("search-dialog");
  const from = document.activeElement;
  if (dialog && !dialog.open && typeof dialog.showModal === "function") {
    // open at once, so what the reader types next lands in the box while search.js loads
    const input = dialog.querySelector("input");
    input.value = text;
    dialog.showModal();
    input.focus();
  }
  import(SEARCH).then((search) => search.openDialog(text, from));
}

function setUpSearchShortcuts() {
  document.addEventListener("keydown", (event) => {
    const ctrlK = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey;
    const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !editable(event.target);
    if (!ctrlK && !slash) return;
    event.preventDefault();
    openSearch("");
  });
  for (const box of document.querySelectorAll("input[data-opens-dialog]")) {
    box.addEventListener("pointerenter", () => import(SEARCH), { once: true }); // warm it up
    box.addEventListener("click", () => openSearch(box.value));
    box.addEventListener("input", () => { const text = box.value; box.value = ""; openSearch(text); });
  }
  root.setAttribute("data-search", "ready");
}

setUpSearchShortcuts();
setUpTheme();
setUpAnchors();
setUpPreviews();
setUpToc();
