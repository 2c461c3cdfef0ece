// Small helpers shared by the pages.

import { t } from "./i18n/index.svelte";

/** Sets the window title: "<page> – Casefile", or just "Casefile". */
export function setWindowTitle(page?: string): void {
  document.title = page ? t("app.window_title", { page }) : t("app.name");
}

/** Svelte action: focus the element once it is in the page (a page's heading, a first field). */
export function focusOnMount(node: HTMLElement): void {
  queueMicrotask(() => node.focus({ preventScroll: true }));
}
