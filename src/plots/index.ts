// Public exports of src/plots.
export {};
