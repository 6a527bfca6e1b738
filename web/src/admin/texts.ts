/** The staff site's texts join the dictionaries when the staff chunk loads (before any of its screens draws). */
import { addTexts } from '../i18n/index.ts';
import { staffEn } from '../i18n/staff.en.ts';
import { staffEs } from '../i18n/staff.es.ts';

addTexts({ es: staffEs, en: staffEn });
