// citeqa's page script. Every text it writes goes through textContent, never innerHTML: a
// reason, a file name or a source's title is shown as text, whatever it holds.
"use strict";

const TOKEN = document.querySelector('meta[name="citeqa-token"]').content;

function $(selector) {
  return document.querySelector(selector);
}

// Changes to the library carry the page's token; the server refuses them without it.
async function change(method, url, body) {
  const response = await fetch(url, { method, body, headers: { "X-Citeqa-Token": TOKEN } });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function say(text, failed) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", Boolean(failed));
}

// Poll a job until it ends, showing its stage and progress.
async function follow(job) {
  const box = $(".progress-box");
  const bar = $("#progress");
  box.hidden = false;
  for (;;) {
    const state = await (await fetch(job.status)).json();
    $("#stage").textContent = state.total ? `${state.stage} ${state.done}/${state.total}` : state.stage;
    if (state.total) { bar.max = state.total; bar.value = state.done; } else { bar.removeAttribute("value"); }
    if (state.state !== "running") return state;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

// The outcome is kept across the reload that shows the new list.
function finish(state, what) {
  let text;
  if (state.state === "failed") {
    text = `${what} failed: ${state.error}`;
  } else {
    const result = state.result;
    // An add or a remove reports its build under "build"; a build job's result is the report.
    const build = "build" in result ? result.build : result;
    const refused = Array.isArray(result.skipped) ? result.skipped.map((s) => `${s.path}: ${s.reason}`) : [];
    text = refused.length ? `${what} refused: ${refused.join("; ")}` : `${what} done`;
    if (build) text += `; index: ${build.documents} documents, ${build.chunks} passages`;
    if (build && build.skipped) text += `; ${build.skipped} file(s) skipped, listed below`;
  }
  sessionStorage.setItem("citeqa-status", JSON.stringify({ text, failed: state.state === "failed" }));
  location.reload();
}

// Upload with XMLHttpRequest: fetch cannot report upload progress.
function upload(form) {
  const request = new XMLHttpRequest();
  const bar = $("#progress");
  $(".progress-box").hidden = false;
  $("#stage").textContent = "uploading";
  request.upload.onprogress = (e) => { if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; } };
  request.onload = async () => {
    let data = {};
    try { data = JSON.parse(request.responseText); } catch (error) { data = { error: request.statusText }; }
    if (request.status !== 202) { say(`Upload refused: ${data.error}`, true); $(".progress-box").hidden = true; return; }
    finish(await follow(data), `Adding ${form.elements.file.files[0].name}`);
  };
  request.onerror = () => say("Upload failed: the server could not be reached", true);
  request.open("POST", form.action);
  request.setRequestHeader("X-Citeqa-Token", TOKEN);
  request.send(new FormData(form));
}

function sourcesPage() {
  const shown = sessionStorage.getItem("citeqa-status");
  if (shown) {
    const { text, failed } = JSON.parse(shown);
    say(text, failed);
    sessionStorage.removeItem("citeqa-status");
  }
  $("#upload").addEventListener("submit", (event) => { event.preventDefault(); upload(event.target); });
  for (const button of document.querySelectorAll("button.remove")) {
    button.addEventListener("click", async () => {
      if (!confirm(`Remove ${button.dataset.name} from the library?`)) return;
      try {
        const job = await change("DELETE", `/api/sources/${encodeURIComponent(button.dataset.id)}`);
        finish(await follow(job), `Removing ${button.dataset.name}`);
      } catch (error) { say(`Removing ${button.dataset.name} refused: ${error.message}`, true); }
    });
  }
  $("#rebuild").addEventListener("click", async () => {
    try { finish(await follow(await change("POST", "/api/build")), "Build"); } catch (error) { say(`Build refused: ${error.message}`, true); }
  });
}

// Filters claims in place; the links also work without script, as ?verdict=.
function auditPage() {
  const filters = document.querySelectorAll("a.filter");
  for (const link of filters) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const key = link.dataset.filter;
      for (const claim of document.querySelectorAll("li.claim")) {
        claim.hidden = Boolean(key) && claim.dataset.verdict !== key && !(key === "temporal" && claim.dataset.temporal === "yes");
      }
      for (const other of filters) other.setAttribute("aria-pressed", String(other === link));
      history.replaceState(null, "", link.href);
    });
  }
}

function sourcePage() {
  const passage = document.getElementById("passage");
  // After load: the browser's own jump to #passage comes then and would undo an earlier scroll.
  // The passage's scroll margin keeps it clear of the sticky section heading.
  if (passage) window.addEventListener("load", () => passage.scrollIntoView());
}

const pages = { sources: sourcesPage, audit: auditPage, source: sourcePage };
(pages[document.body.dataset.page] || (() => {}))();
