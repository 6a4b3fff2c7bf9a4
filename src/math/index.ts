// Public exports of src/math.
export {};
