/** Registers every built-in validation check kind (import for its side effect). */
import './ready.js'
import './http.js'
import './command.js'
import './env.js'
import './metric.js'
