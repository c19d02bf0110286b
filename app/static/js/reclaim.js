// The owner's way back to the chair: the account that opened the meeting takes it back, open or
// closed (over HTTP, since after the close this view has no live socket), and the page becomes
// the chair's console again.

import { $, getBoot, t } from "./dom.js";

$("#reclaim-chair")?.addEventListener("click", async (e) => {
  const button = e.currentTarget;
  button.disabled = true;
  const answer = await fetch(`/api/meetings/${getBoot().meeting}/chair`, { method: "POST", credentials: "same-origin" });
  if (answer.ok) {
    location.reload();
    return;
  }
  const error = $("#reclaim-error");
  error.textContent = (await answer.json().catch(() => ({}))).error?.message || t("Something went wrong.");
  error.hidden = false;
  button.disabled = false;
});
