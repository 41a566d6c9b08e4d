/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * jpki_rc -> CKR_, in exactly one switch. Callers that need a different meaning in their
 * context (a reset that drops the login, a cancelled wait) act on the jpki_rc first and still
 * return what this table says, so the mapping stays in one place.
 */
#include "config.h"

#include "pkcs11/error_map.h"
#include "pkcs11/rv_name.h"
#include "src/log.h"

CK_RV error_map(enum jpki_rc rc, const char *what)
{
	CK_RV rv;
	int level = JPKI_LOG_ERROR;

	switch (rc) {
	case JPKI_OK:
		return CKR_OK;
	case JPKI_ERR_ARGS:
		rv = CKR_ARGUMENTS_BAD;
		break;
	case JPKI_ERR_NO_MEMORY:
		rv = CKR_HOST_MEMORY;
		break;
	case JPKI_ERR_NO_READER:
	case JPKI_ERR_CARD_REMOVED:
	case JPKI_ERR_CARD_RESET: /* security state gone: to the application, a new token */
		rv = CKR_DEVICE_REMOVED;
		break;
	case JPKI_ERR_NO_CARD:
		rv = CKR_TOKEN_NOT_PRESENT;
		break;
	case JPKI_ERR_NOT_JPKI:
		rv = CKR_TOKEN_NOT_RECOGNIZED;
		break;
	case JPKI_ERR_SECURITY: /* another process may have re-selected the application */
		rv = CKR_USER_NOT_LOGGED_IN;
		break;
	case JPKI_ERR_PIN_INCORRECT:
		rv = CKR_PIN_INCORRECT;
		level = JPKI_LOG_CARD;
		break;
	case JPKI_ERR_PIN_LOCKED:
		rv = CKR_PIN_LOCKED;
		break;
	case JPKI_ERR_PIN_FORMAT:
		rv = CKR_PIN_INVALID;
		level = JPKI_LOG_CARD;
		break;
	case JPKI_ERR_PIN_LENGTH:
		rv = CKR_PIN_LEN_RANGE;
		level = JPKI_LOG_CARD;
		break;
	case JPKI_ERR_DATA_LENGTH:
		rv = CKR_DATA_LEN_RANGE;
		level = JPKI_LOG_CARD;
		break;
	case JPKI_ERR_NOT_SUPPORTED:
		rv = CKR_FUNCTION_NOT_SUPPORTED;
		break;
	case JPKI_ERR_BUSY: /* transient: another process holds the card exclusively */
		rv = CKR_FUNCTION_FAILED;
		break;
	case JPKI_ERR_CANCELLED:
		rv = CKR_FUNCTION_CANCELED;
		level = JPKI_LOG_CARD;
		break;
	case JPKI_ERR_NO_SERVICE:
	case JPKI_ERR_NOT_FOUND: /* a file the card should have */
	case JPKI_ERR_BAD_RESPONSE:
	case JPKI_ERR_TRANSPORT:
	case JPKI_ERR_TIMEOUT:
		rv = CKR_DEVICE_ERROR;
		break;
	case JPKI_ERR_CONFIG: /* a bad configuration must not silently fall back to defaults */
	case JPKI_ERR_INTERNAL:
	default:
		rv = CKR_GENERAL_ERROR;
		break;
	}
	jpki_log(level, "%s: card %s -> %s", what, jpki_rc_name(rc), rv_name(rv));
	return rv;
}
