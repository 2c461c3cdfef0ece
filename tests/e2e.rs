//! placeholder until the E2E tests land
