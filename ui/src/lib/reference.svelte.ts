// Reference lists shipped with the app (currencies, regulators), loaded once and shared.

import type { Currency } from "../bindings/Currency";
import type { Regulator } from "../bindings/Regulator";
import { api } from "./api";

const state = $state<{ currencies: Currency[]; regulators: Regulator[] }>({
  currencies: [],
  regulators: [],
});

let loading: Promise<void> | undefined;

export const reference = {
  get currencies(): Currency[] {
    return state.currencies;
  },
  get regulators(): Regulator[] {
    return state.regulators;
  },
};

/** Loads both lists once; a failed load is retried on the next call. */
export function loadReference(): Promise<void> {
  loading ??= Promise.all([api.listCurrencies(), api.listRegulators()]).then(
    ([currencies, regulators]) => {
      state.currencies = currencies;
      state.regulators = regulators;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Digits of the currency's minor unit; 2 when the currency is not (yet) known. */
export function minorDigits(code: string): number {
  return state.currencies.find((c) => c.code === code)?.minor_digits ?? 2;
}
