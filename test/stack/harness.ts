/** The tests synthesize the program offline exactly as `lake plan` does. */
export * from "../../stacks/offline";
