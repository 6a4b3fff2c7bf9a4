// Public exports of src/model.
export {};
