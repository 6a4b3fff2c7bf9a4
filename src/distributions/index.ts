// Public exports of src/distributions.
export {};
