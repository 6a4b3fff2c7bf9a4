// Public exports of src/inference.
export {};
