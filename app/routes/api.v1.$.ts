import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerAction, answerLoader } from "~/api/addresses.server";

/** Every address of the API (/api/v1/…): app/api/addresses.server.ts finds the module that answers it. */
export const loader = (args: LoaderFunctionArgs) => answerLoader(args);
export const action = (args: ActionFunctionArgs) => answerAction(args);
