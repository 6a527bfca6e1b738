/** Spanish: the sign-in's two-step verification step, loaded with it (screens/Mfa.tsx). */
export const mfaEs = {
  'mfa.title': 'Verificación en dos pasos',
  'mfa.intro': 'Abra su aplicación de autenticación y escriba el código de 6 dígitos que muestra para Carpeta.',
  'mfa.code': 'Código de 6 dígitos',
  'mfa.submit': 'Verificar',
  'mfa.back': 'Entrar con otra cuenta',
  'mfa.err.code':
    'El código no es correcto. Escriba el que muestra ahora su aplicación para Carpeta: cambia cada 30 ' + 'segundos.',
  'mfa.err.format': 'Escriba los 6 números del código.',
};
export type MfaKey = keyof typeof mfaEs;
