// A one-off message carried to the next screen, e.g. "The case … was deleted." on the home screen.

const state = $state<{ message: string | null }>({ message: null });

export const flash = {
  get message(): string | null {
    return state.message;
  },
  set(message: string): void {
    state.message = message;
  },
  clear(): void {
    state.message = null;
  },
};
