// The operator's page of `opc-vault serve`. Plain JavaScript, no build step, no external
// files: everything it needs is served by opc-vault itself. Every value from the hub is put
// into the page as text (never as HTML). The API it uses is documented in serve/mod.rs.
"use strict";

const state = {
  csrf: null,
  view: "modules",
  modules: null,
  ca: null,
  reasons: [],
  jobs: [],
  editor: null, // { device, module, etag, version, current }
  timers: [],
  filter: "",
};

// ---- small helpers ------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const $ = (id) => document.getElementById(id);

function announce(text) {
  $("announce").textContent = text;
}

async function api(method, path, body) {
  const headers = {};
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    if (state.csrf) headers["X-CSRF-Token"] = state.csrf;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  let data = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { error: text };
    }
  }
  if (response.status === 401 && path !== "/api/login") {
    showLogin("Your session ended: log in again.");
  }
  if (!response.ok) {
    const error = new Error((data && data.error) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

function date(text) {
  if (!text) return "–";
  return text.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC").replace(/Z$/, " UTC");
}

function daysClass(days, warning) {
  if (days === null || days === undefined) return "";
  if (days < 0) return "expired";
  if (days <= warning) return "warning";
  return "ok";
}

function daysText(days, warning) {
  if (days === null || days === undefined) return "";
  if (days < 0) return `expired ${-days} day(s) ago`;
  const note = days <= warning ? " (under the warning limit)" : "";
  return `${days} day(s) left${note}`;
}

function badge(text, kind) {
  return h("span", { class: `badge ${kind || text}` }, text);
}

// ---- login --------------------------------------------------------------------------------

function showLogin(message) {
  stopTimers();
  state.csrf = null;
  $("app").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message || "";
  $("token").focus();
}

async function login(token) {
  try {
    const answer = await api("POST", "/api/login", { token });
    state.csrf = answer.csrf;
    $("token").value = "";
    await start();
  } catch (e) {
    showLogin(e.message);
  }
}

async function start() {
  const session = await api("GET", "/api/session");
  if (!session.csrf) {
    showLogin("");
    return;
  }
  state.csrf = session.csrf;
  $("where").textContent = `Hub ${session.hub} · vault ${session.vault}`;
  $("login").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  stopTimers();
  await refreshCa(); // the revocation reasons the module cards offer
  select(state.view === "editor" ? "modules" : state.view);
  refreshJobs();
  every(1000, refreshJobs);
  every(3000, () => {
    if (state.view === "modules") refreshModules();
  });
  every(2000, () => {
    if (state.view === "editor") refreshReported();
  });
}

function every(ms, fn) {
  state.timers.push(setInterval(fn, ms));
}

function stopTimers() {
  state.timers.forEach(clearInterval);
  state.timers = [];
}

// ---- tabs ---------------------------------------------------------------------------------

const TABS = ["modules", "ca", "jobs"];

function select(view) {
  state.view = view;
  for (const tab of TABS) {
    const selected = tab === view;
    const button = $(`tab-${tab}`);
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`view-${tab}`).hidden = !selected;
  }
  $("view-editor").hidden = view !== "editor";
  document.querySelector(".tabs").hidden = view === "editor";
  if (view === "modules") refreshModules();
  if (view === "ca") refreshCa();
  if (view === "jobs") renderJobs();
}

function tabKeys(event) {
  const at = TABS.indexOf(state.view);
  let next = null;
  if (event.key === "ArrowRight") next = TABS[(at + 1) % TABS.length];
  if (event.key === "ArrowLeft") next = TABS[(at + TABS.length - 1) % TABS.length];
  if (event.key === "Home") next = TABS[0];
  if (event.key === "End") next = TABS[TABS.length - 1];
  if (next) {
    event.preventDefault();
    select(next);
    $(`tab-${next}`).focus();
  }
}

// ---- modules ------------------------------------------------------------------------------

async function refreshModules() {
  try {
    state.modules = await api("GET", "/api/modules");
    $("modules-error").textContent = "";
    renderModules();
  } catch (e) {
    if (e.status !== 401) $("modules-error").textContent = `Cannot read the modules: ${e.message}`;
  }
}

function runningJobFor(device, target) {
  return state.jobs.find((j) => j.state === "running" && (j.store === `${device}/${target}` || !j.store));
}

function matches(module, store) {
  const needle = state.filter.trim().toLowerCase();
  if (!needle) return true;
  const cert = (store.reported && store.reported.applicationCert) || {};
  return [module.deviceId, module.moduleId, store.target, cert.subject, cert.thumbprint, cert.applicationUri]
    .filter(Boolean)
    .some((v) => v.toLowerCase().includes(needle));
}

// What the operator set on the cards survives their re-rendering: open lists, chosen
// reasons, and the focused control.
const kept = { open: new Set(), reasons: new Map(), rendered: "" };

function renderModules() {
  const view = state.modules;
  const root = $("modules");
  if (!view) return;
  $("modules-at").textContent = `Updated ${date(view.at)}`;
  const running = state.jobs.filter((j) => j.state === "running").map((j) => [j.id, j.lines.length]);
  const key = JSON.stringify([view.modules, running, state.filter, state.reasons]);
  if (key === kept.rendered) return;
  kept.rendered = key;
  const active = document.activeElement;
  const focused = active && active.dataset ? active.dataset.key : null;
  const cards = [];
  const rows = [];
  for (const module of view.modules) {
    const stores = module.stores.filter((s) => matches(module, s));
    if (!stores.length) continue;
    cards.push(moduleCard(module, stores));
    rows.push(...stores.map((s) => summaryRow(module, s)));
  }
  if (!cards.length) {
    cards.push(h("p", { class: "muted" }, view.modules.length ? "No module matches the filter." : "No module reports a certificate store yet."));
  } else {
    cards.unshift(
      h("table", { class: "summary" },
        h("caption", {}, "At a glance"),
        h("thead", {}, h("tr", {}, ["Device / module", "Store", "Status", "Certificate", "Expiry", "Chain", "Refused", "CRLs"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, rows)),
    );
  }
  root.replaceChildren(...cards);
  if (focused) {
    const again = root.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

function anchor(device, target) {
  return `store-${device}-${target}`.replace(/[^A-Za-z0-9_-]/g, "-");
}

function summaryRow(module, store) {
  const r = store.reported;
  const cert = r && r.applicationCert;
  const warning = (r && r.expiry && r.expiry.warningDays) || 14;
  const crls = Object.values((r && r.crls) || {});
  const overdue = crls.filter((c) => c.outOfDate).length;
  const refused = Object.keys((r && r.rejected) || {}).length;
  const chain = !cert ? "–" : cert.selfSigned ? "self-signed" : store.chain.some((l) => l.role) ? "this vault" : "other CA";
  return h(
    "tr",
    { "data-summary": `${module.deviceId}/${store.target}` },
    h("td", {}, h("a", { href: `#${anchor(module.deviceId, store.target)}` }, `${module.deviceId} / ${module.moduleId}`)),
    h("td", {}, store.store || "pki"),
    h("td", {}, r ? badge(r.status) : badge("no report", "warning"), store.applying ? " applying…" : ""),
    h("td", {}, cert ? cert.subject : "–"),
    h("td", { class: cert ? `days ${daysClass(cert.daysLeft, warning)}` : "" }, cert ? daysText(cert.daysLeft, warning) : "–"),
    h("td", {}, store.vault && store.vault.status === "revoked" ? badge("revoked", "expired") : chain),
    h("td", { class: refused ? "days warning" : "" }, refused ? `${refused} waiting` : "none"),
    h("td", { class: overdue ? "days expired" : "" }, crls.length ? (overdue ? `${overdue} out of date` : `${crls.length} current`) : "none"),
  );
}

function moduleCard(module, stores) {
  const status = module.runtimeStatus
    ? badge(module.runtimeStatus, module.runtimeStatus === "running" ? "ok" : "warning")
    : h("span", { class: "muted" }, "no runtime status");
  return h(
    "article",
    { class: "module", "aria-label": `${module.deviceId}/${module.moduleId}` },
    h(
      "header",
      {},
      h("h2", {}, `${module.deviceId} / ${module.moduleId}`),
      status,
      module.statusDescription && module.statusDescription !== module.runtimeStatus ? h("span", { class: "muted" }, module.statusDescription) : null,
      h("button", { type: "button", id: `edit-${module.deviceId}-${module.moduleId}`, "data-key": `edit:${module.deviceId}/${module.moduleId}`, onclick: () => openEditor(module.deviceId, module.moduleId) }, "Edit twin"),
    ),
    stores.map((s) => storeCard(module, s)),
  );
}

function storeCard(module, store) {
  const device = module.deviceId;
  const reported = store.reported;
  const warning = (reported && reported.expiry && reported.expiry.warningDays) || 14;
  const job = runningJobFor(device, store.target);
  const id = `${device}/${store.target}`;
  const parts = [];
  const title = store.store ? `Store ${store.store}` : "Own store (pki)";
  const status = reported ? badge(reported.status) : badge("no report", "warning");
  parts.push(
    h(
      "header",
      {},
      h("h3", {}, title),
      status,
      store.applying ? badge("applying…", "pending") : null,
      reported && reported.desiredVersion ? h("span", { class: "muted" }, `desired version ${reported.desiredVersion}`) : null,
    ),
  );
  if (store.unreadable) parts.push(h("p", { class: "error" }, store.unreadable));
  if (reported && reported.error) {
    const e = reported.error;
    parts.push(
      h("p", { class: "error item-error", role: "note" }, h("strong", {}, `${e.code}`), ` at ${e.item || "(document)"}: ${e.message}`),
    );
  }
  const cert = reported && reported.applicationCert;
  if (cert) {
    const chain = cert.selfSigned
      ? "self-signed"
      : store.chain.map((l) => (l.role ? `${l.subject} (vault ${l.role})` : `${l.subject} (not this vault)`)).join(" → ");
    const record = store.vault;
    parts.push(
      h(
        "dl",
        { class: "cert" },
        h("dt", {}, "Subject"), h("dd", { class: "subject" }, cert.subject),
        h("dt", {}, "Issuer"), h("dd", {}, cert.issuer),
        h("dt", {}, "Thumbprint"), h("dd", { class: "thumbprint mono" }, cert.thumbprint),
        h("dt", {}, "Application URI"), h("dd", { class: "mono" }, cert.applicationUri || "–"),
        h("dt", {}, "Valid"), h("dd", {}, `${date(cert.notBefore)} to ${date(cert.notAfter)} `,
          h("span", { class: `days ${daysClass(cert.daysLeft, warning)}` }, daysText(cert.daysLeft, warning))),
        h("dt", {}, "Chain"), h("dd", { class: "chain" }, chain),
        h("dt", {}, "In the vault"), h("dd", { class: "vault-status" },
          record ? `serial ${record.serial}, ${record.status}${record.revokedAt ? ` since ${date(record.revokedAt)}` : ""}` : "not issued by this vault"),
      ),
    );
  }
  const actions = h("div", { class: "actions" });
  const run = (action, extra, label) => startAction({ action, device, target: store.target, ...extra }, label);
  actions.append(
    h("button", { type: "button", class: "provision", "data-key": `provision:${id}`, disabled: !!job || !reported, onclick: () => run("provision", {}, `Provision ${id}`) }, "Provision"),
    h("button", { type: "button", class: "renew", "data-key": `renew:${id}`, disabled: !!job || !reported, onclick: () => run("renew", {}, `Renew ${id}`) }, "Renew"),
  );
  if (store.vault && store.vault.status === "valid") {
    const reasonId = `reason-${id.replace(/[^A-Za-z0-9]/g, "-")}`;
    const chosen = kept.reasons.get(id) || "unspecified";
    const select = h(
      "select",
      { id: reasonId, "data-key": `reason:${id}`, onchange: (e) => kept.reasons.set(id, e.target.value) },
      state.reasons.map((r) => h("option", { value: r, selected: r === chosen }, r)),
    );
    actions.append(
      h("label", { for: reasonId }, "Reason"),
      select,
      h("button", {
        type: "button",
        class: "revoke danger",
        "data-key": `revoke:${id}`,
        disabled: !!job,
        onclick: () => {
          if (confirm(`Revoke the certificate of ${id} (${cert.thumbprint})? Every module gets the new CRL.`)) {
            run("revoke", { reason: select.value }, `Revoke ${id}`);
          }
        },
      }, "Revoke"),
    );
  }
  if (job) actions.append(h("span", { class: "badge pending", role: "status" }, `${job.title}: ${job.lines.length ? job.lines[job.lines.length - 1] : "started"}`));
  parts.push(actions);
  if (reported) {
    parts.push(listSection(id, "Trusted", reported.trusted, warning));
    parts.push(listSection(id, "Issuers", reported.issuers, warning));
    parts.push(crlSection(reported.crls));
    parts.push(rejectedSection(module, store, reported.rejected, !!job));
    if (reported.restart) {
      const r = reported.restart;
      parts.push(h("p", {}, `Restart of ${r.module}: ${r.state}${r.error ? ` (${r.error})` : ""}`));
    }
  }
  return h("section", { class: "store", id: anchor(device, store.target), "data-store": id, "aria-label": `${id}` }, parts);
}

function listSection(id, title, entries, warning) {
  const names = Object.keys(entries || {});
  if (!names.length) return null;
  const key = `${id}:${title}`;
  return h(
    "details",
    {
      class: title.toLowerCase(),
      open: kept.open.has(key),
      ontoggle: (e) => (e.target.open ? kept.open.add(key) : kept.open.delete(key)),
    },
    h("summary", { "data-key": `list:${key}` }, `${title} (${names.length})`),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["Name", "Subject", "Thumbprint", "Expiry"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        names.map((name) => {
          const c = entries[name];
          return h("tr", {}, h("td", {}, name), h("td", {}, c.subject || "–"), h("td", { class: "mono" }, c.thumbprint),
            h("td", { class: `days ${daysClass(c.daysLeft, warning)}` }, c.notAfter ? `${date(c.notAfter)} · ${daysText(c.daysLeft, warning)}` : "–"));
        }),
      ),
    ),
  );
}

function crlSection(crls) {
  const names = Object.keys(crls || {});
  if (!names.length) return h("p", { class: "muted crls" }, "No CRL installed.");
  return h(
    "table",
    { class: "crls" },
    h("caption", {}, "CRLs"),
    h("thead", {}, h("tr", {}, ["Name", "Issuer", "Number", "Revoked", "Next update"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      names.map((name) => {
        const c = crls[name];
        return h("tr", { "data-crl": name }, h("td", {}, name), h("td", {}, c.issuer), h("td", { class: "crl-number" }, c.crlNumber ?? "–"),
          h("td", { class: "revoked-count" }, c.revokedCount),
          h("td", { class: `days ${c.outOfDate ? "expired" : "ok"}` }, `${date(c.nextUpdate)}${c.outOfDate ? " (out of date)" : ""}`));
      }),
    ),
  );
}

function rejectedSection(module, store, rejected, busy) {
  const prints = Object.keys(rejected || {});
  if (!prints.length) return null;
  return h(
    "table",
    { class: "rejected" },
    h("caption", {}, `Rejected certificates (${prints.length})`),
    h("thead", {}, h("tr", {}, ["Subject", "Issuer", "URI", "Valid", "Reason", "Seen", ""].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      prints.map((print) => {
        const r = rejected[print];
        return h(
          "tr",
          { "data-thumbprint": print },
          h("td", {}, r.subject, h("div", { class: "mono muted" }, print)),
          h("td", {}, r.issuer),
          h("td", { class: "mono" }, r.applicationUri || "–"),
          h("td", {}, `${date(r.notBefore)} to ${date(r.notAfter)}`),
          h("td", {}, r.reason || "–"),
          h("td", {}, date(r.at)),
          h("td", {}, h("button", {
            type: "button",
            class: "approve",
            "data-key": `approve:${module.deviceId}/${store.target}/${print}`,
            disabled: busy,
            "aria-label": `Approve ${r.subject} (${print})`,
            onclick: () => startAction({ action: "approve", device: module.deviceId, target: store.target, thumbprint: print }, `Approve ${print}`),
          }, "Approve")),
        );
      }),
    ),
  );
}

async function startAction(action, label) {
  try {
    const answer = await api("POST", "/api/actions", action);
    announce(`${label}: started (job ${answer.job})`);
    await refreshJobs();
    renderModules();
  } catch (e) {
    announce(`${label}: ${e.message}`);
    $("modules-error").textContent = `${label}: ${e.message}`;
  }
}

// ---- jobs ---------------------------------------------------------------------------------

async function refreshJobs() {
  try {
    const before = new Map(state.jobs.map((j) => [j.id, j.state]));
    state.jobs = await api("GET", "/api/jobs");
    for (const job of state.jobs) {
      const was = before.get(job.id);
      if (was === "running" && job.state !== "running") {
        announce(`${job.title}: ${job.state}. ${job.outcome || ""}`);
        if (state.view === "modules") refreshModules();
        if (state.view === "ca") refreshCa();
      }
    }
    const running = state.jobs.filter((j) => j.state === "running").length;
    $("running-count").textContent = running ? `(${running} running)` : "";
    if (state.view === "jobs") renderJobs();
  } catch {
    // The next tick tries again; a 401 already showed the login.
  }
}

function renderJobs() {
  const root = $("jobs");
  if (!state.jobs.length) {
    root.replaceChildren(h("p", { class: "muted" }, "Nothing done yet in this session of opc-vault serve."));
    return;
  }
  root.replaceChildren(
    ...state.jobs.map((job) =>
      h(
        "article",
        { class: `job ${job.state}`, "data-job": job.id },
        h("header", {}, h("h2", {}, `#${job.id} ${job.title}`), badge(job.state, job.state === "succeeded" ? "ok" : job.state === "failed" ? "expired" : "pending"),
          h("span", { class: "muted" }, `${date(job.startedAt)}${job.finishedAt ? ` – ${date(job.finishedAt)}` : ""}`)),
        job.outcome ? h("p", { class: "outcome" }, job.outcome) : null,
        h("ol", { class: "lines" }, job.lines.map((l) => h("li", {}, l))),
      ),
    ),
  );
}

// ---- CA -----------------------------------------------------------------------------------

async function refreshCa() {
  try {
    const answer = await api("GET", "/api/ca");
    state.ca = answer.ca;
    state.reasons = answer.reasons;
    $("ca-error").textContent = "";
    renderCa();
  } catch (e) {
    if (e.status !== 401) $("ca-error").textContent = `Cannot read the vault: ${e.message}`;
  }
}

function renderCa() {
  const ca = state.ca;
  if (!ca) return;
  const warning = 30;
  $("ca").replaceChildren(
    h("h2", {}, "CA certificates"),
    h("table", {},
      h("thead", {}, h("tr", {}, ["Role", "Subject", "Thumbprint", "Valid", "Days left"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ca.cas.map((c) => h("tr", {}, h("td", {}, c.role), h("td", {}, c.subject), h("td", { class: "mono" }, c.thumbprint),
        h("td", {}, `${date(c.notBefore)} to ${date(c.notAfter)}`), h("td", { class: `days ${daysClass(c.daysLeft, warning)}` }, daysText(c.daysLeft, warning)))))),
    h("h2", {}, "CRLs"),
    h("table", { class: "vault-crls" },
      h("thead", {}, h("tr", {}, ["CA", "Number", "This update", "Next update", "Revoked"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ca.crls.map((c) => h("tr", { "data-role": c.role }, h("td", {}, c.role), h("td", { class: "crl-number" }, c.number ?? "–"), h("td", {}, date(c.thisUpdate)),
        h("td", { class: `days ${c.overdue ? "expired" : "ok"}` }, `${date(c.nextUpdate)}${c.overdue ? " (overdue)" : ""}`), h("td", {}, c.revokedCount))))),
    h("p", { class: "muted" }, `New certificates are valid for ${ca.certYears} year(s); CRLs for ${ca.crlDays} day(s).`),
    h("h2", {}, `Issued certificates (${ca.issued.length})`),
    h("table", { class: "issued" },
      h("thead", {}, h("tr", {}, ["Serial", "Subject", "URI", "Type", "Not after", "Days left", "Status"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ca.issued.map((c) => h("tr", { "data-thumbprint": c.thumbprint }, h("td", { class: "mono" }, c.serial.slice(0, 16) + "…"), h("td", {}, c.subject),
        h("td", { class: "mono" }, c.applicationUri), h("td", {}, c.type), h("td", {}, date(c.notAfter)),
        h("td", { class: `days ${daysClass(c.daysLeft, warning)}` }, daysText(c.daysLeft, warning)),
        h("td", { class: "status" }, c.status === "revoked" ? badge(`revoked${c.reason ? ` (${c.reason})` : ""}`, "expired") : badge("valid", "ok")))))),
  );
}

// ---- twin editor --------------------------------------------------------------------------

async function openEditor(device, module) {
  state.editor = { device, module, etag: null, version: null, current: null, checkTimer: null };
  $("editor-title").textContent = `Twin of ${device} / ${module}`;
  select("editor");
  await loadTwin();
  $("editor-text").focus();
}

function twinPath() {
  const e = state.editor;
  return `/api/twin/${encodeURIComponent(e.device)}/${encodeURIComponent(e.module)}`;
}

async function loadTwin() {
  const e = state.editor;
  try {
    const twin = await api("GET", twinPath());
    e.etag = twin.etag;
    e.version = twin.desiredVersion;
    e.current = twin.desired;
    $("editor-text").value = JSON.stringify(twin.desired, null, 2);
    $("editor-reported").textContent = JSON.stringify(twin.reported, null, 2);
    $("editor-meta").textContent = `Loaded desired version ${twin.desiredVersion} (etag ${twin.etag}). Sending is refused if the twin changes meanwhile.`;
    $("editor-status").textContent = "";
    await checkDraft();
  } catch (err) {
    $("editor-status").textContent = `Cannot read the twin: ${err.message}`;
  }
}

async function refreshReported() {
  if (!state.editor) return;
  try {
    const twin = await api("GET", twinPath());
    $("editor-reported").textContent = JSON.stringify(twin.reported, null, 2);
    if (twin.etag !== state.editor.etag) {
      $("editor-meta").textContent = `The twin changed since you loaded it (now desired version ${twin.desiredVersion}); sending your edit will be refused until you reload.`;
    }
  } catch {
    // Shown on the next explicit action.
  }
}

function parseDraft() {
  try {
    return { value: JSON.parse($("editor-text").value) };
  } catch (e) {
    return { error: `Not JSON: ${e.message}` };
  }
}

function showProblems(problems) {
  $("editor-problems").replaceChildren(
    ...(problems.length
      ? problems.map((p) => h("li", { class: "error" }, h("strong", {}, p.path || "(document)"), ` ${p.rule}: ${p.message}`))
      : [h("li", { class: "ok-text" }, "None: edgeHub and the modules would accept it.")]),
  );
  $("editor-text").setAttribute("aria-invalid", String(problems.length > 0));
}

function show(value) {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

async function checkDraft() {
  const draft = parseDraft();
  if (draft.error) {
    showProblems([{ path: "", rule: "JSON", message: draft.error }]);
    $("editor-changes").replaceChildren();
    return false;
  }
  try {
    const answer = await api("POST", `${twinPath()}/check`, { desired: draft.value });
    showProblems(answer.problems);
    $("editor-changes").replaceChildren(
      ...(answer.changes.length
        ? answer.changes.map((c) =>
            h("li", { class: c.after === undefined ? "removed" : c.before === undefined ? "added" : "changed" },
              h("strong", {}, c.path), " ",
              c.before === undefined ? `added: ${show(c.after)}` : c.after === undefined ? `removed (was ${show(c.before)})` : `${show(c.before)} → ${show(c.after)}`))
        : [h("li", { class: "muted" }, "No change.")]),
    );
    return answer.problems.length === 0;
  } catch (e) {
    $("editor-status").textContent = e.message;
    return false;
  }
}

async function sendDraft() {
  const e = state.editor;
  const draft = parseDraft();
  if (draft.error) {
    showProblems([{ path: "", rule: "JSON", message: draft.error }]);
    return;
  }
  try {
    const answer = await api("PUT", `${twinPath()}/desired`, { desired: draft.value, etag: e.etag });
    e.etag = answer.twin.etag;
    e.version = answer.twin.desiredVersion;
    $("editor-text").value = JSON.stringify(answer.twin.desired, null, 2);
    $("editor-status").textContent = answer.changed
      ? `Sent: desired version ${answer.twin.desiredVersion}. The module's report follows on the right.`
      : "Nothing to send: the twin already says this.";
    $("editor-meta").textContent = `Loaded desired version ${answer.twin.desiredVersion} (etag ${answer.twin.etag}).`;
    await checkDraft();
  } catch (err) {
    if (err.data && err.data.problems) showProblems(err.data.problems);
    $("editor-status").textContent = err.status === 409 ? `Refused: ${err.message}` : `Not sent: ${err.message}`;
  }
}

// ---- wiring -------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", async () => {
  $("login-form").addEventListener("submit", (e) => {
    e.preventDefault();
    login($("token").value);
  });
  $("logout").addEventListener("click", async () => {
    try {
      await api("POST", "/api/logout", {});
    } finally {
      showLogin("Logged out.");
    }
  });
  for (const tab of TABS) {
    $(`tab-${tab}`).addEventListener("click", () => select(tab));
    $(`tab-${tab}`).addEventListener("keydown", tabKeys);
  }
  $("filter").addEventListener("input", (e) => {
    state.filter = e.target.value;
    renderModules();
  });
  $("push-crls").addEventListener("click", () => startAction({ action: "pushCrls" }, "Push CRLs"));
  $("editor-back").addEventListener("click", () => {
    state.editor = null;
    select("modules");
  });
  $("editor-send").addEventListener("click", sendDraft);
  $("editor-reload").addEventListener("click", loadTwin);
  $("editor-text").addEventListener("input", () => {
    clearTimeout(state.editor && state.editor.checkTimer);
    if (state.editor) state.editor.checkTimer = setTimeout(checkDraft, 400);
  });

  // A token in the address's fragment (the link `serve` prints) logs in once and is removed
  // from the address bar and the history; the fragment never reaches a server.
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    history.replaceState(null, "", location.pathname);
    await login(decodeURIComponent(match[1]));
    return;
  }
  try {
    await start();
  } catch {
    showLogin("");
  }
});
