export const id = 40;
export const ids = [40];
export const modules = {

/***/ 7040:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runHelmPhase: () => (/* binding */ runHelmPhase)
/* harmony export */ });
/* harmony import */ var _checks_result_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7076);
/* harmony import */ var _report_model_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6867);
/** Helm phases: install/upgrade under our own gate. */


/** Runs a phase that deploys a Helm chart. */
async function runHelmPhase(ctx, phase, index) {
    const started = ctx.clock.now();
    return (0,_report_model_js__WEBPACK_IMPORTED_MODULE_1__/* .gateResult */ .xp)('phase', started, [
        (0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('helm', phase.helm?.release ?? phase.name, {
            verdict: 'error',
            message: 'Helm phases are not implemented yet in this version of phase-gate',
            location: ctx.loaded.locate(['phases', index, 'helm'])
        })
    ], { name: phase.name, now: ctx.clock.now() });
}


/***/ })

};
