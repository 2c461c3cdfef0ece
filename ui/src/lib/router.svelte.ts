// A tiny hash router: `#/`, `#/cases/new`, `#/cases/:id`, `#/cases/:id/edit`, `#/cases/:id/<tab>`,
// `#/cases/:id/evidence/:item` (the Evidence tab with one item open).
// Hash routes work from the bundled `index.html` without any server-side fallback.

export const CASE_TABS = [
  "overview",
  "triage",
  "ladder",
  "evidence",
  "timeline",
  "packages",
] as const;
export type CaseTab = (typeof CASE_TABS)[number];

export type Route =
  | { name: "home" }
  | { name: "new" }
  | { name: "case"; id: number; tab: CaseTab; recipient: string | null; item: number | null }
  | { name: "edit"; id: number }
  | { name: "directory"; recipient: string | null }
  | { name: "not_found" };

function isTab(value: string): value is CaseTab {
  return (CASE_TABS as readonly string[]).includes(value);
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/\/+$/, "") || "/";
  if (path === "/") return { name: "home" };
  if (path === "/cases/new") return { name: "new" };
  const directory = /^\/directory(?:\/([a-z0-9-]+))?$/.exec(path);
  if (directory) return { name: "directory", recipient: directory[1] ?? null };
  // `#/cases/:id/packages/:recipient` opens the Packages tab with that recipient chosen.
  const match = /^\/cases\/(\d+)(?:\/([a-z]+)(?:\/([a-z0-9-]+))?)?$/.exec(path);
  if (match) {
    const id = Number(match[1]);
    const rest = match[2];
    const recipient = match[3] ?? null;
    const tab = (name: CaseTab, item: number | null = null): Route => {
      return { name: "case", id, tab: name, recipient: null, item };
    };
    if (rest === undefined) return tab("overview");
    if (rest === "edit" && recipient === null) return { name: "edit", id };
    if (rest === "packages") return { name: "case", id, tab: rest, recipient, item: null };
    if (rest === "evidence" && recipient !== null && /^\d+$/.test(recipient)) {
      return tab("evidence", Number(recipient));
    }
    if (isTab(rest) && recipient === null) return tab(rest);
  }
  return { name: "not_found" };
}

export const href = {
  home: () => "#/",
  newCase: () => "#/cases/new",
  case: (id: number, tab: CaseTab = "overview") =>
    tab === "overview" ? `#/cases/${id}` : `#/cases/${id}/${tab}`,
  /** The Evidence tab with item `item` open. */
  evidenceItem: (id: number, item: number) => `#/cases/${id}/evidence/${item}`,
  /** The Packages tab with `recipient` chosen. */
  package: (id: number, recipient: string) => `#/cases/${id}/packages/${recipient}`,
  edit: (id: number) => `#/cases/${id}/edit`,
  directory: (recipient?: string) => (recipient ? `#/directory/${recipient}` : "#/directory"),
};

const state = $state({ route: parseRoute(location.hash) });

/** The current route, reactive. */
export const router = {
  get route(): Route {
    return state.route;
  },
};

window.addEventListener("hashchange", () => {
  state.route = parseRoute(location.hash);
});

/** Goes to `target` (a hash from `href`). `replace` keeps the back button from stopping there. */
export function navigate(target: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(history.state, "", target);
    state.route = parseRoute(target);
  } else if (location.hash === target) {
    state.route = parseRoute(target);
  } else {
    location.hash = target;
  }
}
