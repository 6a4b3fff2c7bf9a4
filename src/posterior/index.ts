// Public exports of src/posterior.
export {};
