// Public exports of src/io.
export {};
