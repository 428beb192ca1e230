// The recipes every plan uses, in the order they render (within a phase, earlier recipes' steps run first).
import type { Recipe } from "./recipe.ts";

/** Default recipe list for `planCell`. */
export const defaultRecipes: readonly Recipe[] = [];
