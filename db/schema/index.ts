export * from "./organisations";
export * from "./users";
export * from "./people";
export * from "./events";
export * from "./registrations";
export * from "./action-plans";
export * from "./system";
export * from "./calendar-feeds";
