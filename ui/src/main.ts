import { mount } from "svelte";
import App from "./App.svelte";
import { applyToDocument } from "./lib/i18n/index.svelte";
import "./styles/app.css";

applyToDocument();

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

export default mount(App, { target });
