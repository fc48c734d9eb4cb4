// mlmocks' jobs page: lists every job through the job control (POST /mlmocks-api/jobs)
// and acts through it (advance, fail, stop, set_progression), as RemoteJobControl does.
// Plain script, no framework; every value from the server is set as text, never as HTML.
"use strict";

const REFRESH_MOVING_MS = 2000;   // while some job is still moving
const REFRESH_IDLE_MS = 10000;    // while every job has finished

const state = { jobs: [], progressions: {}, timer: null, busy: false };
const $ = (id) => document.getElementById(id);

async function call(method, args) {
  const response = await fetch(`/mlmocks-api/${method}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(args || {}),
    cache: "no-store",
    credentials: "same-origin",
  });
  let body;
  try {
    body = await response.json();
  } catch (error) {
    body = { message: `${response.status} ${response.statusText}` };
  }
  if (!response.ok) {
    throw new Error(body.message || `${response.status} ${response.statusText}`);
  }
  return body.result;
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(text, kind) {
  const message = $("message");
  message.textContent = text;
  message.className = kind || "";
}

function shortTime(iso) {
  if (!iso) return "";
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}

function rowKey(job) {
  return [job.kind, job.account, job.region, job.job].join("|");
}

// What the control is told a job is: its ARN where it has one (unique across accounts
// and regions), else its first identifier.
function target(job) {
  return job.arn || job.job;
}

function statusClass(job) {
  if (!job.finished) return "running";
  return job.failure || /fail/i.test(job.status) ? "failed" : "finished";
}

function filtered() {
  const service = $("filter-service").value;
  const status = $("filter-status").value;
  const text = $("filter-text").value.trim().toLowerCase();
  return state.jobs.filter((job) => {
    if (service && job.service !== service) return false;
    if (status && job.status !== status) return false;
    if (!text) return true;
    const haystack = [job.kind, job.account, job.region, job.status, job.failure || "",
      job.destined_failure || "", ...job.identifiers].join("\n").toLowerCase();
    return haystack.includes(text);
  });
}

function fillSelect(select, values) {
  const chosen = select.value;
  const wanted = ["", ...values];
  const have = Array.from(select.options).map((option) => option.value);
  if (have.join("\n") !== wanted.join("\n")) {
    select.replaceChildren(...wanted.map((value) => element("option", { value }, value || "all")));
  }
  select.value = wanted.includes(chosen) ? chosen : "";
}

async function act(description, method, args) {
  state.busy = true;
  try {
    const result = await call(method, args);
    say(`${description}${typeof result === "string" ? `: now ${result}` : ""}`, "done");
  } catch (error) {
    say(`${description} refused: ${error.message}`, "error");
  } finally {
    state.busy = false;
  }
  await refresh();
}

function actions(job) {
  const cell = element("td", { className: "actions" });
  const kind = job.kind;
  if (job.actions.advance) {
    cell.append(element("button", {
      type: "button", className: "advance", title: "advance: one status on now",
      onclick: () => act(`advanced ${target(job)}`, "advance", { kind, job: target(job) }),
    }, `Advance → ${job.actions.advance}`), " ");
  }
  if (job.actions.fail) {
    const input = element("input", {
      type: "text", className: "fail-message", placeholder: "failure message",
      "aria-label": `failure message for ${job.name || job.job}`, maxlength: 2048,
    });
    cell.append(input, element("button", {
      type: "button", className: "fail", title: "fail: end in the failure status with this message",
      onclick: () => {
        const message = input.value.trim() || "Failed from the mlmocks jobs page";
        act(`destined ${target(job)} to fail`, "fail", { kind, job: target(job), message });
      },
    }, "Fail"), " ");
  }
  if (job.actions.stop) {
    cell.append(element("button", {
      type: "button", className: "stop", title: "stop: walk the kind's stopping statuses",
      onclick: () => act(`stopped ${target(job)}`, "stop", { kind, job: target(job) }),
    }, `Stop → ${job.actions.stop}`));
  }
  return cell;
}

function jobRow(job) {
  const failure = element("td", { className: "failure" }, job.failure);
  if (!job.failure && job.destined_failure) {
    failure.append(element("span", { className: "destined" }, `will fail: ${job.destined_failure}`));
  }
  return element("tr", { className: "job", dataset: { key: rowKey(job), kind: job.kind, job: job.job, arn: job.arn || "" } },
    element("td", { className: "name" }, element("strong", {}, job.name || job.job), job.arn ? element("small", {}, job.arn) : null),
    element("td", {}, job.account),
    element("td", { className: "nowrap" }, job.region),
    element("td", {}, element("span", { className: `status ${statusClass(job)}` }, job.status)),
    element("td", { className: "time", title: job.created }, shortTime(job.created)),
    element("td", { className: "time", title: job.ended ? `ended ${job.ended}` : job.updated }, shortTime(job.updated)),
    failure,
    actions(job));
}

function progressionForm(kind, setting) {
  const select = element("select", { className: "progression-kind", "aria-label": `progression of ${kind}` },
    ...["immediate", "manual", "time"].map((value) => element("option", { value }, value)));
  select.value = setting.progression;
  const amount = element("input", { type: "number", className: "progression-amount", min: 0, step: "any" });
  const unit = element("span", {});
  const sync = () => {
    amount.hidden = select.value === "immediate";
    unit.textContent = select.value === "manual" ? "looks a step" : select.value === "time" ? "seconds a step" : "";
    if (select.value === "manual") amount.value = setting.progression === "manual" ? setting.times : 1;
    if (select.value === "time") amount.value = setting.progression === "time" ? setting.seconds : 1;
  };
  select.addEventListener("change", sync);
  sync();
  const current = setting.progression === "manual" ? `manual, ${setting.times} looks a step`
    : setting.progression === "time" ? `time, ${setting.seconds} s a step` : "immediate";
  return element("form", { className: "progression", dataset: { kind }, onsubmit: (event) => event.preventDefault() },
    element("span", { className: "current" }, `(${current})`),
    select, amount, unit,
    element("button", {
      type: "button", className: "set-progression",
      onclick: () => {
        const args = { kind, progression: select.value };
        if (select.value === "manual") args.times = Number(amount.value);
        if (select.value === "time") args.seconds = Number(amount.value);
        act(`set ${kind} to ${select.value}`, "set_progression", args);
      },
    }, "Set"),
    element("button", {
      type: "button", className: "reset-progression", title: "back to the default (immediate)",
      onclick: () => act(`reset ${kind}'s progression`, "reset_progression", { kind }),
    }, "Default"));
}

function render() {
  // Keep what was typed (and where) across a refresh.
  const typed = {};
  let focused = null;
  for (const input of document.querySelectorAll("tr.job input.fail-message")) {
    const key = input.closest("tr").dataset.key;
    if (input.value) typed[key] = input.value;
    if (input === document.activeElement) focused = key;
  }
  const services = [...new Set(Object.values(state.progressions).map((setting) => setting.service))];
  fillSelect($("filter-service"), services);
  fillSelect($("filter-status"), [...new Set(state.jobs.map((job) => job.status))].sort());
  const shown = filtered();
  const filtering = shown.length !== state.jobs.length;
  const groups = [];
  for (const service of services) {
    if ($("filter-service").value && $("filter-service").value !== service) continue;
    const kinds = Object.entries(state.progressions).filter(([, setting]) => setting.service === service);
    const blocks = [];
    for (const [kind, setting] of kinds) {
      const jobs = shown.filter((job) => job.kind === kind);
      if ((filtering || !$("show-empty").checked) && !jobs.length) continue;
      const heading = element("h3", {}, kind, progressionForm(kind, setting));
      if (!jobs.length) {
        heading.append(element("span", { className: "empty" }, "no jobs"));
        blocks.push(element("div", { className: "kind empty", dataset: { kind } }, heading));
        continue;
      }
      blocks.push(element("div", { className: "kind", dataset: { kind } }, heading,
        element("table", {},
          element("thead", {}, element("tr", {}, ...["Name / ARN", "Account", "Region", "Status", "Created", "Updated",
            "Failure", "Actions"].map((title) => element("th", {}, title)))),
          element("tbody", {}, ...jobs.map(jobRow)))));
    }
    if (blocks.length) {
      groups.push(element("section", { className: "service", dataset: { service } }, element("h2", {}, service), ...blocks));
    }
  }
  $("groups").replaceChildren(...(groups.length ? groups : [element("p", { className: "empty" }, "No job matches.")]));
  for (const input of document.querySelectorAll("tr.job input.fail-message")) {
    const key = input.closest("tr").dataset.key;
    if (typed[key]) input.value = typed[key];
    if (key === focused) input.focus();
  }
  const moving = state.jobs.filter((job) => !job.finished).length;
  $("summary").textContent = `${state.jobs.length} jobs, ${moving} moving, ${shown.length} shown · read ${new Date().toLocaleTimeString()}`;
}

async function refresh() {
  clearTimeout(state.timer);
  try {
    const [jobs, progressions] = await Promise.all([call("jobs"), call("progressions")]);
    state.jobs = jobs;
    state.progressions = progressions;
    render();
  } catch (error) {
    say(`cannot read the jobs: ${error.message}`, "error");
  }
  schedule();
}

function schedule() {
  clearTimeout(state.timer);
  if (!$("auto-refresh").checked) return;
  const moving = state.jobs.some((job) => !job.finished);
  state.timer = setTimeout(() => {
    if (document.hidden || state.busy) schedule();
    else refresh();
  }, moving ? REFRESH_MOVING_MS : REFRESH_IDLE_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const id of ["filter-service", "filter-status", "show-empty"]) $(id).addEventListener("change", render);
  $("filter-text").addEventListener("input", render);
  $("auto-refresh").addEventListener("change", schedule);
  $("refresh").addEventListener("click", refresh);
  $("save").addEventListener("click", async () => {
    try {
      const saved = await call("save");
      say(`state saved to ${saved.path} (${saved.bytes} bytes)`, "done");
    } catch (error) {
      say(`save refused: ${error.message}`, "error");
    }
  });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
  refresh();
});
