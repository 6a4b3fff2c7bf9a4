// Public exports of src/transforms.
export {};
