// Studio lesson page: resumable chunked upload with a progress bar, and the job's progress.
(() => {
  "use strict";
  const root = document.getElementById("media");
  if (!root) return;
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const messages = JSON.parse(document.getElementById("studio-messages").textContent);
  const $ = (id) => document.getElementById(id);
  const uploadBar = $("upload-bar");
  const uploadStatus = $("upload-status");

  let lastStatus = null;

  async function call(method, url, body, contentType = "application/json") {
    const headers = { "X-CSRFToken": csrfToken };
    if (body !== undefined) headers["Content-Type"] = contentType;
    const res = await fetch(url, {
      method, headers, credentials: "same-origin",
      body: contentType === "application/json" && body !== undefined ? JSON.stringify(body) : body,
    });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { ok: res.ok, status: res.status, data };
  }

  function say(text, kind = "info") {
    uploadStatus.textContent = text;
    uploadStatus.className = `status status-${kind}`;
  }

  function showUploadProgress(received, size) {
    uploadBar.parentElement.hidden = false;
    const pct = size ? Math.floor((100 * received) / size) : 0;
    uploadBar.style.width = `${pct}%`;
    return pct;
  }

  const keyOf = (file) => `academy-upload:${root.dataset.lessonId}:${file.name}:${file.size}:${file.lastModified}`;

  async function openUpload(file) {
    const saved = localStorage.getItem(keyOf(file));
    if (saved) {
      const res = await call("GET", `${root.dataset.apiRoot}/uploads/${saved}`);
      if (res.ok && res.data.status === "receiving") {
        say(messages.resuming.replace("{pct}", showUploadProgress(res.data.received, res.data.size)));
        return res.data;
      }
      localStorage.removeItem(keyOf(file));
    }
    const res = await call("POST", root.dataset.beginUrl, { filename: file.name, size: file.size });
    if (!res.ok) throw res;
    localStorage.setItem(keyOf(file), res.data.upload);
    return res.data;
  }

  async function upload(file) {
    let state;
    try {
      state = await openUpload(file);
      let received = state.received;
      while (received < file.size) {
        const chunk = file.slice(received, received + state.chunk_size);
        if (received + chunk.size >= file.size) say(messages.probing);
        const res = await call("PUT", `${root.dataset.apiRoot}/uploads/${state.upload}?offset=${received}`,
          chunk, "application/octet-stream");
        if (res.status === 409 && res.data && res.data.error.code === "offset_mismatch") {
          const now = await call("GET", `${root.dataset.apiRoot}/uploads/${state.upload}`);
          received = now.data.received;
          continue;
        }
        if (!res.ok) throw res;
        received = res.data.received;
        const pct = showUploadProgress(received, file.size);
        if (received < file.size) say(messages.uploading.replace("{pct}", pct));
        if (res.data.status === "complete") {
          localStorage.removeItem(keyOf(file));
          say(messages.done, "success");
          lastStatus = "uploading"; // a job that already finished should reload the page
          showJob(res.data.job);
          pollJob();
        }
      }
    } catch (failure) {
      const error = failure && failure.data && failure.data.error;
      if (error && error.code !== "offset_mismatch") localStorage.removeItem(keyOf(file));
      say(error ? messages.failed.replace("{message}", error.message) : messages.network, "error");
    }
  }

  $("upload-file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) upload(file);
  });

  function showJob(job) {
    if (!job) return;
    $("job").hidden = false;
    $("job-bar").style.width = `${job.progress}%`;
    $("job-progress").textContent = job.progress;
    $("job-stage").textContent = job.stage_label;
    $("job-timing").textContent = timing(job);
    const failed = job.status === "failed";
    $("job-error").hidden = !failed;
    $("job-retry").hidden = !failed;
    $("job-error-text").textContent = job.error || "";
    // A run that just finished changes what the page below shows: load it.
    if (job.status === "done" && lastStatus && lastStatus !== "done") window.location.reload();
    lastStatus = job.status;
  }

  const clock = (seconds) => {
    const whole = Math.floor(seconds); // as the page's own figures (format_clock) write it
    const m = Math.floor(whole / 60);
    const s = String(whole % 60).padStart(2, "0");
    return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${s}` : `${m}:${s}`;
  };

  // Elapsed and estimated remaining time while it runs; how long it took (and its real-time
  // factor, for a transcription) once done.
  function timing(job) {
    const parts = [];
    if (job.status === "running" && job.elapsed_seconds != null) {
      parts.push(messages.elapsed.replace("{elapsed}", clock(job.elapsed_seconds)));
      if (job.remaining_seconds != null) {
        parts.push(messages.remaining.replace("{remaining}", clock(job.remaining_seconds)));
      }
    } else if (job.status === "done" && job.duration_seconds != null) {
      parts.push(messages.took.replace("{took}", clock(job.duration_seconds)));
      if (job.realtime_factor != null) parts.push(messages.rtf.replace("{rtf}", job.realtime_factor));
    }
    return parts.length ? ` · ${parts.join(messages.list_separator)}` : "";
  }

  let polling = false;
  async function pollJob() {
    if (polling) return;
    polling = true;
    for (;;) {
      const res = await call("GET", root.dataset.jobUrl);
      if (res.ok && res.data.job) {
        showJob(res.data.job);
        if (!["queued", "running"].includes(res.data.job.status)) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    polling = false;
  }

  $("job-retry").addEventListener("click", async () => {
    const res = await call("POST", root.dataset.retryUrl, {});
    if (res.ok) { showJob(res.data.job); pollJob(); } else if (res.data) say(res.data.error.message, "error");
  });

  pollJob();

  // A line of the review list, clicked: select that line in the transcript's edit box.
  const editor = $("transcript-text");
  for (const row of document.querySelectorAll(".review-line[data-line]")) {
    row.addEventListener("click", () => {
      if (!editor) return;
      const lines = editor.value.split("\n");
      const index = Number(row.dataset.line) - 1;
      const start = lines.slice(0, index).reduce((sum, line) => sum + line.length + 1, 0);
      editor.focus();
      editor.setSelectionRange(start, start + (lines[index] || "").length);
      const lineHeight = editor.scrollHeight / Math.max(1, lines.length);
      editor.scrollTop = Math.max(0, index * lineHeight - editor.clientHeight / 2);
    });
  }
})();
