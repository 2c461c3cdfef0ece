//! Drives the real Casefile window: starts `tauri-driver` (which starts WebKitWebDriver, which starts
//! `casefile-app`) against one data folder, talks WebDriver to it with fantoccini, and tears the
//! whole process tree down again.
//!
//! Every wait has a deadline and fails naming what it waited for, the page it was on and the text
//! the page showed, and saves `tests/artifacts/screens/FAILED-<test>.png`. The driver's output (with
//! the app's stderr) goes to `tests/artifacts/logs/<test>-<n>.log`.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use casefile_test_support::{TEST_PASSPHRASE, TempHome, built_binary, workspace_root};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use rustix::process::{Pid, Signal, WaitOptions, getpid, kill_process, set_child_subreaper, waitpid};
use serde_json::{Value, json};

/// How long a step may take before the test fails (the app answers in milliseconds; this is slack
/// for a loaded machine).
pub const STEP_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the window may take to appear (first WebKit start in a fresh HOME).
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(45);
const POLL: Duration = Duration::from_millis(100);

const INSTALL_DRIVER: &str = "cargo install tauri-driver --version '^2' --locked";

/// The app binary, built (a no-op when fresh) once per test process.
fn app_binary() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let index = workspace_root().join("ui/dist/index.html");
        let html = fs::read_to_string(&index).unwrap_or_default();
        assert!(
            html.contains("<script"),
            "{} is missing or is not a built UI; build it first: cd ui && npm install && npm run build \
             (the app embeds ui/dist when it is compiled)",
            index.display()
        );
        built_binary("casefile-app")
    })
}

/// `tauri-driver` on PATH, else where `cargo install` puts it.
fn tauri_driver() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join("tauri-driver")).collect::<Vec<_>>())
        .unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    on_path
        .into_iter()
        .chain(cargo_home.map(|home| home.join("bin/tauri-driver")))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("tauri-driver is not installed (looked on PATH and in $CARGO_HOME/bin); install it with: {INSTALL_DRIVER}"))
}

fn check_environment() {
    assert!(
        std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()),
        "no DISPLAY: run the end-to-end tests through scripts/with-display (or scripts/test)"
    );
    let has_webkit_driver = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("WebKitWebDriver").is_file()));
    assert!(
        has_webkit_driver,
        "WebKitWebDriver is not on PATH (Debian/Ubuntu: apt-get install webkit2gtk-driver)"
    );
}

pub fn artifacts_dir(kind: &str) -> PathBuf {
    let dir = workspace_root().join("tests/artifacts").join(kind);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free local port")
}

fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_millis(200)).is_ok()
}

/// One running app window on one data folder.
pub struct App {
    client: Option<Client>,
    driver: Option<Child>,
    /// Every process seen running for this data folder, collected after they end.
    tree: BTreeSet<u32>,
    home: PathBuf,
    test: String,
    log: PathBuf,
    /// Extra environment for the app (e.g. `CASEFILE_NOW` to move its clock), set on tauri-driver,
    /// which passes it on.
    env: Vec<(String, String)>,
}

impl App {
    /// Starts the app on `home` and waits for its page to load. `test` names the log and failure
    /// screenshots; launching twice in one test (a relaunch) gets a second log.
    pub async fn launch(home: &TempHome, test: &str) -> App {
        App::launch_with(home, test, &[]).await
    }

    /// Like `launch`, with extra environment variables for the app, e.g.
    /// `[("CASEFILE_NOW", "2026-04-27T12:00:00Z")]` (debug builds take it as the current time).
    /// A data folder with a passphrase vault (every `TempHome::new`) opens on the unlock screen;
    /// the harness types the test passphrase there, so the test starts where a person would be
    /// after unlocking.
    pub async fn launch_with(home: &TempHome, test: &str, env: &[(&str, &str)]) -> App {
        let app = App::launch_locked(home, test, env).await;
        let vault = fs::read_to_string(home.path().join("vault.json")).unwrap_or_default();
        if vault.contains("\"passphrase\"") {
            app.type_css("[data-testid=unlock-passphrase]", TEST_PASSPHRASE, "the unlock passphrase").await;
            app.click("[data-testid=unlock]", "Open my case files").await;
            app.wait_gone("[data-testid=folder-unlock]", "the unlock screen").await;
        }
        app
    }

    /// Starts the app and leaves it at whatever it shows first (the first-run setup, the unlock
    /// screen, or the case list).
    pub async fn launch_locked(home: &TempHome, test: &str, env: &[(&str, &str)]) -> App {
        check_environment();
        become_subreaper();
        let driver_binary = tauri_driver();
        let application = app_binary();
        // A failure picture from an earlier run would only mislead.
        let _ = fs::remove_file(artifacts_dir("screens").join(format!("FAILED-{test}.png")));
        let deadline = Instant::now() + LAUNCH_TIMEOUT;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let log = next_log_path(test);
            let mut app = App {
                client: None,
                driver: None,
                tree: BTreeSet::new(),
                home: home.path().to_path_buf(),
                test: test.to_owned(),
                log,
                env: env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            };
            match app.start(&driver_binary, application, deadline).await {
                Ok(()) => return app,
                Err(problem) if attempt < 3 && Instant::now() < deadline => {
                    eprintln!("launch attempt {attempt} failed ({problem}); retrying");
                    if let Err(cleanup) = app.stop().await {
                        panic!("{cleanup}");
                    }
                }
                Err(problem) => {
                    let log = app.log.clone();
                    let _ = app.stop().await;
                    panic!("the app did not start: {problem}\n--- {} ---\n{}", log.display(), tail(&log, 40));
                }
            }
        }
    }

    async fn start(
        &mut self,
        driver_binary: &Path,
        application: &Path,
        deadline: Instant,
    ) -> Result<(), String> {
        let port = free_port();
        let native_port = std::iter::repeat_with(free_port).find(|&p| p != port).expect("a second free port");
        let output =
            File::create(&self.log).map_err(|e| format!("cannot write {}: {e}", self.log.display()))?;
        let errors = output.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(driver_binary)
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            // tauri-driver passes its environment on to WebKitWebDriver and so to the app.
            .env("CASEFILE_HOME", &self.home)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", driver_binary.display()))?;
        self.driver = Some(child);

        while !(port_open(port) && port_open(native_port)) {
            if let Some(status) = self.driver.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                return Err(format!("tauri-driver exited with {status} before listening"));
            }
            if Instant::now() > deadline {
                return Err(format!("tauri-driver did not listen on ports {port}/{native_port}"));
            }
            tokio::time::sleep(POLL).await;
        }

        let capabilities = json!({ "tauri:options": { "application": application } });
        let Value::Object(capabilities) = capabilities else { unreachable!() };
        let mut builder = ClientBuilder::rustls().map_err(|e| format!("fantoccini's HTTP client: {e}"))?;
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{port}");
        let connect = builder.connect(&url);
        let remaining = deadline.saturating_duration_since(Instant::now());
        let client = tokio::time::timeout(remaining, connect)
            .await
            .map_err(|_| "no WebDriver session before the launch deadline".to_owned())?
            .map_err(|e| format!("WebDriver session refused: {e}"))?;
        self.client = Some(client);

        // The page is up once the UI's script has rendered something into the body.
        let started = Instant::now();
        loop {
            let rendered = self
                .client()
                .execute("return document.readyState === 'complete' && document.body !== null && document.body.innerText.trim().length > 0;", vec![])
                .await;
            if rendered.as_ref().is_ok_and(|v| v == &Value::Bool(true)) {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the window opened but its page stayed empty for {:.0?} (last answer: {rendered:?}); is ui/dist built?",
                    started.elapsed()
                ));
            }
            tokio::time::sleep(POLL).await;
        }
        // Note the app and its helpers now: once ended, they can no longer be recognised.
        self.remember_tree();
        Ok(())
    }

    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the WebDriver session is open")
    }

    /// Quits the app: ends the WebDriver session (WebKitWebDriver closes the window and the app
    /// exits), stops tauri-driver, and makes sure nothing started for this data folder survives, so
    /// the folder's lock is free for a relaunch. Fails if something would not end.
    pub async fn quit(mut self) {
        if let Err(problem) = self.stop().await {
            panic!("{problem}");
        }
    }

    async fn stop(&mut self) -> Result<(), String> {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
            // Let the app go on its own, so WebKitWebDriver collects it.
            let until = Instant::now() + Duration::from_secs(5);
            while self.remember_tree().iter().any(|(_, name)| name == "casefile-app")
                && Instant::now() < until
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        self.stop_processes()
    }

    /// The live processes started for this data folder, added to `tree` for reaping later.
    fn remember_tree(&mut self) -> Vec<(u32, String)> {
        let live = processes_with_home(&self.home);
        self.tree.extend(live.iter().map(|(pid, _)| *pid));
        live
    }

    fn stop_processes(&mut self) -> Result<(), String> {
        self.remember_tree();
        if let Some(mut driver) = self.driver.take() {
            // SIGTERM makes tauri-driver kill WebKitWebDriver before it exits.
            signal(driver.id(), Signal::TERM);
            let until = Instant::now() + Duration::from_secs(5);
            while driver.try_wait().ok().flatten().is_none() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = driver.kill();
            let _ = driver.wait();
        }
        // Anything still running with this data folder in its environment was started by this
        // launch (the app, its WebKit helpers, an orphaned WebKitWebDriver): end it.
        let mut sig = Signal::TERM;
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let survivors = self.remember_tree();
            if survivors.is_empty() {
                break;
            }
            if Instant::now() > until {
                return Err(format!("processes for {} would not end: {survivors:?}", self.home.display()));
            }
            for (pid, _) in &survivors {
                signal(*pid, sig);
            }
            std::thread::sleep(Duration::from_millis(200));
            sig = Signal::KILL;
        }
        // Their parents are gone without collecting them; as the subreaper this process does, so
        // no `<defunct>` entries are left behind.
        let until = Instant::now() + Duration::from_secs(5);
        while !self.tree.is_empty() && Instant::now() < until {
            self.tree.retain(|&pid| !reap_if_ours(pid));
            if !self.tree.is_empty() {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        self.tree.clear();
        Ok(())
    }

    // ----- finding things -----------------------------------------------------------------------

    /// The first element matching `css`, if there is one; errors (WebKit reports a stale node
    /// when the DOM changes under a search) go to the caller, usually a wait that tries again.
    pub async fn try_find(&self, css: &str) -> Result<Option<Element>, CmdError> {
        match self.client().find(Locator::Css(css)).await {
            Ok(element) => Ok(Some(element)),
            Err(e) if e.is_no_such_element() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every element matching `css`.
    pub async fn try_find_all(&self, css: &str) -> Result<Vec<Element>, CmdError> {
        self.client().find_all(Locator::Css(css)).await
    }

    /// The first element matching `css`, if there is one now (retrying a search the DOM changed
    /// under).
    pub async fn find_now(&self, css: &str) -> Option<Element> {
        self.wait_until(&format!("a search for {css} to complete"), async || {
            self.try_find(css).await.map(Some)
        })
        .await
    }

    /// Polls `probe` until it yields a value; fails after `STEP_TIMEOUT` naming `what`.
    pub async fn wait_until<T>(
        &self,
        what: &str,
        mut probe: impl AsyncFnMut() -> Result<Option<T>, CmdError>,
    ) -> T {
        let started = Instant::now();
        let mut last_error = None;
        loop {
            match probe().await {
                Ok(Some(value)) => return value,
                Ok(None) => {}
                // Elements re-rendered between find and use go stale; try again.
                Err(e) => last_error = Some(e.to_string()),
            }
            if started.elapsed() > STEP_TIMEOUT {
                self.fail(&format!(
                    "timed out after {STEP_TIMEOUT:?} waiting for {what}{}",
                    last_error.map(|e| format!(" (last error: {e})")).unwrap_or_default()
                ))
                .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until an element matching `css` is displayed.
    pub async fn wait_visible(&self, css: &str, what: &str) -> Element {
        self.wait_until(&format!("{what} ({css}) to be visible"), async || {
            for element in self.try_find_all(css).await? {
                if element.is_displayed().await? {
                    return Ok(Some(element));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Waits until no element matching `css` is displayed.
    pub async fn wait_gone(&self, css: &str, what: &str) {
        self.wait_until(&format!("{what} ({css}) to disappear"), async || {
            for element in self.try_find_all(css).await? {
                if element.is_displayed().await? {
                    return Ok(None);
                }
            }
            Ok(Some(()))
        })
        .await;
    }

    /// Waits until a displayed element matching `css` has text containing `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str, what: &str) -> Element {
        self.wait_until(&format!("{what} ({css}) to show {needle:?}"), async || {
            for element in self.try_find_all(css).await? {
                if element.is_displayed().await? && element.text().await?.contains(needle) {
                    return Ok(Some(element));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Waits until the `value` of form field `name` is `expected` (forms load their data
    /// asynchronously).
    pub async fn wait_value(&self, name: &str, expected: &str) -> Element {
        let css = field_css(name);
        self.wait_until(&format!("field {name} to hold {expected:?}"), async || {
            match self.try_find(&css).await? {
                Some(element) if element.prop("value").await?.as_deref() == Some(expected) => {
                    Ok(Some(element))
                }
                _ => Ok(None),
            }
        })
        .await
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> String {
        match self.client().execute("return document.body ? document.body.innerText : '';", vec![]).await {
            Ok(Value::String(text)) => text,
            other => format!("<page text unavailable: {other:?}>"),
        }
    }

    /// The `value` of form field `name`.
    pub async fn value_of(&self, name: &str) -> String {
        let element = self.wait_visible(&field_css(name), &format!("field {name}")).await;
        element.prop("value").await.ok().flatten().unwrap_or_default()
    }

    // ----- acting -------------------------------------------------------------------------------

    /// Clicks the displayed, enabled element matching `css`, retrying while something covers it
    /// or it is being re-rendered.
    pub async fn click(&self, css: &str, what: &str) {
        self.wait_until(&format!("{what} ({css}) to be clickable"), async || {
            for element in self.try_find_all(css).await? {
                if element.is_displayed().await? && element.is_enabled().await? {
                    self.scroll_to_middle(&element).await?;
                    element.click().await?;
                    return Ok(Some(()));
                }
            }
            Ok(None)
        })
        .await;
    }

    /// Clicks the first case row whose text contains `title` (on its first cell: WebKit does not
    /// count a `<tr>` itself as interactable).
    pub async fn open_row(&self, title: &str) {
        self.wait_until(&format!("the case row {title:?} to be clickable"), async || {
            for row in self.try_find_all("[data-testid=case-row]").await? {
                if row.is_displayed().await? && row.text().await?.contains(title) {
                    let cell = row.find(Locator::Css("td")).await?;
                    self.scroll_to_middle(&cell).await?;
                    cell.click().await?;
                    return Ok(Some(()));
                }
            }
            Ok(None)
        })
        .await;
    }

    /// Scrolls `element` to the middle of the window, clear of sticky bars at the top and bottom
    /// (WebDriver's own scrolling puts it at the very edge, where the form's action bar covers it).
    pub async fn scroll_to_middle(&self, element: &Element) -> Result<(), CmdError> {
        let element = serde_json::to_value(element).expect("an element serialises");
        self.client()
            .execute("arguments[0].scrollIntoView({block: 'center', inline: 'center'});", vec![element])
            .await
            .map(drop)
    }

    /// Replaces the text of input/textarea `name` by typing `text` as a person would.
    pub async fn type_into(&self, name: &str, text: &str) {
        let element = self.wait_visible(&field_css(name), &format!("field {name}")).await;
        let _ = self.scroll_to_middle(&element).await;
        self.clear_field(&element, name).await;
        if let Err(e) = element.send_keys(text).await {
            self.fail(&format!("typing into {name}: {e}")).await;
        }
        let value = element.prop("value").await.ok().flatten().unwrap_or_default();
        if value != text {
            self.fail(&format!("field {name} holds {value:?} after typing {text:?}")).await;
        }
    }

    /// Replaces the text of the input/textarea matching `css` by typing `text`.
    pub async fn type_css(&self, css: &str, text: &str, what: &str) {
        let element = self.wait_visible(css, what).await;
        let _ = self.scroll_to_middle(&element).await;
        self.clear_field(&element, what).await;
        if let Err(e) = element.send_keys(text).await {
            self.fail(&format!("typing into {what}: {e}")).await;
        }
        let value = element.prop("value").await.ok().flatten().unwrap_or_default();
        if value != text {
            self.fail(&format!("{what} holds {value:?} after typing {text:?}")).await;
        }
    }

    /// Sets the select or date input matching `css` to `value` the way its picker would (see
    /// `select`), waiting first for a select's option to exist.
    pub async fn set_css(&self, css: &str, value: &str, what: &str) {
        let element = self.wait_visible(css, what).await;
        if element.tag_name().await.is_ok_and(|tag| tag.eq_ignore_ascii_case("select")) {
            let option = format!("{css} option[value=\"{value}\"]");
            self.wait_until(&format!("option {value:?} in {what}"), async || {
                Ok(self.try_find(&option).await?.map(|_| ()))
            })
            .await;
        }
        self.set_like_a_picker(&element, what, value).await;
    }

    /// Resizes the window (the screenshots show the page at that size).
    pub async fn resize(&self, width: u32, height: u32) {
        if let Err(e) = self.client().set_window_size(width, height).await {
            self.fail(&format!("resizing the window to {width}x{height}: {e}")).await;
        }
    }

    async fn clear_field(&self, element: &Element, name: &str) {
        let _ = element.clear().await;
        // Select-all and delete too, so the page sees input events for the emptied field.
        let value = element.prop("value").await.ok().flatten().unwrap_or_default();
        if !value.is_empty() {
            let _ = element.send_keys("\u{E009}a\u{E000}\u{E003}").await;
        }
        let value = element.prop("value").await.ok().flatten().unwrap_or_default();
        if !value.is_empty() {
            self.fail(&format!("could not clear field {name} (still {value:?})")).await;
        }
    }

    /// Picks the option with value `value` in select `name`. WebKitGTK opens a native menu that
    /// WebDriver cannot reach, and a WebDriver click on an `<option>` selects it without the
    /// `change` event the page listens to; so the choice is made as the menu makes it: set the
    /// value, fire `input` and `change`.
    pub async fn select(&self, name: &str, value: &str) {
        let css = field_css(name);
        let element = self.wait_visible(&css, &format!("select {name}")).await;
        // Options come from the backend; wait for the one we want.
        let option = format!("{css} option[value=\"{value}\"]");
        self.wait_until(&format!("option {value:?} in select {name}"), async || {
            Ok(self.try_find(&option).await?.map(|_| ()))
        })
        .await;
        self.set_like_a_picker(&element, name, value).await;
    }

    async fn set_like_a_picker(&self, element: &Element, name: &str, value: &str) {
        if let Err(e) = self.scroll_to_middle(element).await {
            self.fail(&format!("scrolling to {name}: {e:?}")).await;
        }
        let script = "const [el, v] = arguments; el.focus(); el.value = v; \
                      el.dispatchEvent(new Event('input', {bubbles: true})); \
                      el.dispatchEvent(new Event('change', {bubbles: true})); el.blur(); return el.value;";
        let element_json = serde_json::to_value(element).expect("an element serialises");
        match self.client().execute(script, vec![element_json, json!(value)]).await {
            Ok(Value::String(now)) if now == value => {}
            other => self.fail(&format!("setting {name} to {value:?}: {other:?}")).await,
        }
    }

    /// Sets an `<input type=date>` to `iso` (YYYY-MM-DD). WebKitGTK's date field takes keys per
    /// segment in the locale's order, so the value is set the way its picker sets it.
    pub async fn set_date(&self, name: &str, iso: &str) {
        let element = self.wait_visible(&field_css(name), &format!("date field {name}")).await;
        self.set_like_a_picker(&element, name, iso).await;
    }

    /// Checks the radio button `name` with value `value` (clicking its label if the input itself
    /// is styled out of sight).
    pub async fn choose(&self, name: &str, value: &str) {
        let css = format!("input[type=radio][name=\"{name}\"][value=\"{value}\"]");
        let radio =
            self.wait_until(&format!("radio {name}={value}"), async || self.try_find(&css).await).await;
        let _ = self.scroll_to_middle(&radio).await;
        let clicked = match radio.is_displayed().await {
            Ok(true) => radio.click().await.is_ok(),
            _ => false,
        };
        if !clicked {
            let label = format!("label:has({css})");
            match self.find_now(&label).await {
                Some(label) => {
                    if let Err(e) = label.click().await {
                        self.fail(&format!("clicking the label of radio {name}={value}: {e}")).await;
                    }
                }
                None => self.fail(&format!("radio {name}={value} is hidden and has no wrapping label")).await,
            }
        }
        self.wait_until(&format!("radio {name}={value} to be checked"), async || {
            Ok(radio.is_selected().await?.then_some(()))
        })
        .await;
    }

    // ----- evidence -----------------------------------------------------------------------------

    /// Saves the window as `tests/artifacts/screens/<name>.png`, after letting the page paint the
    /// state the test just waited for.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let settle = "const done = arguments[arguments.length - 1]; \
                      requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        let _ = self.client().execute_async(settle, vec![]).await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let png = self.client().screenshot().await.unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        let path = artifacts_dir("screens").join(format!("{name}.png"));
        fs::write(&path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }

    /// Fails the test with `message`, the page's address and text, a screenshot and the log's tail.
    pub async fn fail(&self, message: &str) -> ! {
        let url = match self.client().current_url().await {
            Ok(url) => url.to_string(),
            Err(e) => format!("<unknown: {e}>"),
        };
        let text = self.page_text().await;
        let shot = match self.client().screenshot().await {
            Ok(png) => {
                let path = artifacts_dir("screens").join(format!("FAILED-{}.png", self.test));
                fs::write(&path, png).map(|()| path.display().to_string()).unwrap_or_else(|e| e.to_string())
            }
            Err(e) => format!("<no screenshot: {e}>"),
        };
        let text: String = text.chars().take(1500).collect();
        panic!(
            "{message}\n  page: {url}\n  screenshot: {shot}\n  log: {}\n--- page text ---\n{text}\n--- end of page text ---",
            self.log.display()
        );
    }
}

impl Drop for App {
    /// A failed test still leaves no window or driver behind.
    fn drop(&mut self) {
        // The session cannot be closed without the async runtime; ending the processes ends it.
        self.client.take();
        if let Err(problem) = self.stop_processes() {
            eprintln!("{problem}");
        }
    }
}

fn field_css(name: &str) -> String {
    format!("[name=\"{name}\"]:not([type=radio])")
}

/// `tests/artifacts/logs/<test>-<n>.log`, n counting this test's launches in this run.
fn next_log_path(test: &str) -> PathBuf {
    static LAUNCHES: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut launches = LAUNCHES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    launches.push(test.to_owned());
    let n = launches.iter().filter(|name| *name == test).count();
    artifacts_dir("logs").join(format!("{test}-{n}.log"))
}

fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn signal(pid: u32, sig: Signal) {
    if let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) {
        let _ = kill_process(pid, sig);
    }
}

/// Makes this test process the reaper of the processes its tauri-driver leaves orphaned
/// (WebKitWebDriver, the app), instead of init, which may take its time.
fn become_subreaper() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        if let Err(e) = set_child_subreaper(Some(getpid())) {
            eprintln!("could not become the child subreaper ({e}); ended processes may linger as <defunct>");
        }
    });
}

/// Collects `pid` if it has ended and is now this process's child; true once there is nothing
/// left to wait for (the pid is gone, collected, or alive again as some unrelated process, since
/// every live process of this launch was ended before).
fn reap_if_ours(pid: u32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return true;
    };
    let mut fields = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace()).into_iter().flatten();
    let state = fields.next();
    let parent = fields.next().and_then(|p| p.parse::<u32>().ok());
    if state != Some("Z") {
        return true;
    }
    if parent != Some(std::process::id()) {
        // Its parent has yet to collect it or to die and hand it over.
        return false;
    }
    match i32::try_from(pid).ok().and_then(Pid::from_raw) {
        Some(raw) => waitpid(Some(raw), WaitOptions::NOHANG).is_ok_and(|reaped| reaped.is_some()),
        None => true,
    }
}

/// Processes (not zombies) whose environment says `CASEFILE_HOME=<home>`, with their names. Only
/// this harness sets that variable to this fresh folder, so these are ours.
pub fn processes_with_home(home: &Path) -> Vec<(u32, String)> {
    let wanted = {
        let mut entry = b"CASEFILE_HOME=".to_vec();
        entry.extend_from_slice(home.as_os_str().as_encoded_bytes());
        entry
    };
    let me = std::process::id();
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter_map(|pid| {
            let environ = fs::read(format!("/proc/{pid}/environ")).ok()?;
            environ.split(|&b| b == 0).any(|var| var == wanted.as_slice()).then_some(())?;
            let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start().chars().next())?;
            (state != Some('Z')).then_some(())?;
            let name = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned();
            Some((pid, name))
        })
        .collect()
}
