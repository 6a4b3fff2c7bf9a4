// Public exports of src/diagnostics.
export {};
