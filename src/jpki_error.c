/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names of the card side's error codes, for logs. */
#include "config.h"

#include "src/jpki_error.h"

const char *jpki_rc_name(enum jpki_rc rc)
{
	switch (rc) {
	case JPKI_OK:
		return "OK";
	case JPKI_ERR_ARGS:
		return "ARGS";
	case JPKI_ERR_NO_MEMORY:
		return "NO_MEMORY";
	case JPKI_ERR_NO_SERVICE:
		return "NO_SERVICE";
	case JPKI_ERR_NO_READER:
		return "NO_READER";
	case JPKI_ERR_NO_CARD:
		return "NO_CARD";
	case JPKI_ERR_CARD_REMOVED:
		return "CARD_REMOVED";
	case JPKI_ERR_CARD_RESET:
		return "CARD_RESET";
	case JPKI_ERR_NOT_JPKI:
		return "NOT_JPKI";
	case JPKI_ERR_NOT_FOUND:
		return "NOT_FOUND";
	case JPKI_ERR_SECURITY:
		return "SECURITY";
	case JPKI_ERR_PIN_INCORRECT:
		return "PIN_INCORRECT";
	case JPKI_ERR_PIN_LOCKED:
		return "PIN_LOCKED";
	case JPKI_ERR_PIN_FORMAT:
		return "PIN_FORMAT";
	case JPKI_ERR_PIN_LENGTH:
		return "PIN_LENGTH";
	case JPKI_ERR_DATA_LENGTH:
		return "DATA_LENGTH";
	case JPKI_ERR_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	case JPKI_ERR_BAD_RESPONSE:
		return "BAD_RESPONSE";
	case JPKI_ERR_TRANSPORT:
		return "TRANSPORT";
	case JPKI_ERR_BUSY:
		return "BUSY";
	case JPKI_ERR_CANCELLED:
		return "CANCELLED";
	case JPKI_ERR_TIMEOUT:
		return "TIMEOUT";
	case JPKI_ERR_CONFIG:
		return "CONFIG";
	case JPKI_ERR_INTERNAL:
		return "INTERNAL";
	}
	return "UNKNOWN";
}
