/**
 * The customer-service lexicon of the offline AI: groups of Spanish and English words and phrases
 * that mean the same thing to a support team ("concepts"), so that a customer who writes "paquete"
 * meets an example that says "pedido", and "refund" meets "reembolso".
 *
 * It covers the domains the example flows triage: orders and shipping, billing and refunds,
 * cancellation, account access, returns and warranty, talking to a person, complaints, address
 * changes and ways to pay. Intents outside them still work from their own examples and description;
 * the lexicon only adds bridges, it never decides an intent by itself.
 *
 * Entries are written naturally (accents, inflected forms, Spain and Latin America); the loader folds
 * and stems them, so one form per word is enough ("pedido" also finds "pedidos"). Entries are
 * separated by whitespace; a phrase joins its words with `_` and matches the same words in a row,
 * stopwords included, taking precedence over its single words ("contra reembolso" is a way to pay, not a refund). A word may belong to several
 * concepts when customers use it for both ("cambiar" a product or an address).
 *
 * Curated by hand for Cauce, written before the evaluation set was (see bench/data/offline-ai-eval.json).
 */
export const CX_CONCEPTS: Record<string, { es: string; en: string }> = {
  // ---- Orders and shipping ---------------------------------------------------------------------
  order: {
    es: `pedido orden compra paquete paquetería encomienda bulto mercancía artículo producto encargo cosas
      lo_que_compré lo_que_pedí mi_compra`,
    en: `order purchase package parcel shipment item product stuff what_i_ordered what_i_bought`,
  },
  tracking: {
    es: `seguimiento rastrear rastreo localizar ubicar dónde estatus estado_de estado_del por_dónde_va dónde_está
      dónde_anda número_de_seguimiento código_de_seguimiento`,
    en: `track tracking trace status where where_is tracking_number`,
  },
  delivery: {
    es: `llegar llegada entrega entregar recibir repartidor mensajero transportista correo envío enviar despachar
      despacho reparto mandar agencia almacén depósito salir camino en_camino de_camino va_de_camino en_reparto
      centro_de_distribución ha_salido no_he_recibido no_recibí cuándo_llega cuándo_me_llega fecha_de_entrega
      fecha_estimada plazo días_hábiles en_tránsito aduana retenido eta`,
    en: `arrive arrival deliver delivery receive courier carrier shipping ship dispatch mail postman warehouse depot
      on_its_way out_for_delivery sorting_center shipped_out in_transit customs eta when_will`,
  },
  delay: {
    es: `tarde retraso retrasar demora demorar atraso atrasar tardar todavía aún esperar esperando atascado
      parado todavía_no aún_no sigue_sin no_ha_llegado no_llega no_me_llega nunca_llegó no_lo_he_recibido
      no_aparece no_se_mueve hace_días ya_van desde_hace perdido extraviado se_perdió no_me_ha_llegado_nada`,
    en: `late delay delayed still yet wait waiting stuck still_not not_yet hasn't_arrived never_arrived
      not_received hasn't_shown_up days_ago lost missing`,
  },

  // ---- Billing, charges and refunds ------------------------------------------------------------
  charge: {
    es: `cobro cobrar cargo cargar cobrado importe monto cantidad factura facturar recibo ticket comprobante extracto
      resumen consumo movimiento transacción sacar descontar duplicado doble dos_veces de_más cobrado_de_más
      cobro_indebido no_coincide no_reconozco me_sacaron me_cobraron cobro_no_autorizado cargo_no_autorizado
      cobrando doble_cargo dos_cargos pagué_dos_veces precio_distinto más_caro iva impuestos debitar debitaron
      débito_automático monto_mayor ya_había_pagado ya_pagué ya_lo_pagué`,
    en: `charge bill billing invoice receipt statement fee transaction overcharge overcharged duplicate double twice
      took_more charged_me iva unauthorized two_charges tax vat price_difference already_paid`,
  },
  money: {
    es: `dinero plata pasta pesos euros dólares saldo importe lo_que_pagué`,
    en: `money amount dollars euros balance what_i_paid`,
  },
  // Giving or coming back: with money in the same message it is a refund (see CX_COMBINATIONS).
  back: {
    es: `volver vuelto regresar de_vuelta`,
    en: `back give_back come_back`,
  },
  refund: {
    es: `reembolso reembolsar reintegro reintegrar abonar devolver_el_dinero devolución_del_dinero
      devolución_del_importe devuelvan_el_dinero devolvérmelo mi_dinero dinero_de_vuelta me_devuelvan me_deben
      nota_de_crédito crédito_en_tienda saldo_a_favor devuelvan_la_plata plata_de_vuelta mi_plata quiero_mi_plata
      regresar_la_plata regresen_la_plata regresar_el_dinero devolver_la_plata
      devolver_lo_que_pagué devolver_el_importe devolver_los_gastos reintegrar_el_importe el_dinero_de_vuelta no_he_recibido_el_dinero no_veo_el_dinero no_vi_la_plata`,
    en: `refund refunded reimburse reimbursement money_back my_money_back get_my_money credited owe_me store_credit
      refund_status pending_refund
      give_me_back return_my_money pay_me_back haven't_received_my_money`,
  },
  cancel: {
    es: `cancelar anular anulación baja dar_de_baja darme_de_baja desuscribir desuscribirme desactivar desistir
      desistimiento arrepentido arrepentirse echar_atrás echarme_atrás ya_no_quiero no_quiero_seguir
      cambiar_de_opinión cambié_de_opinión ya_no_lo_necesito ya_no_la_necesito no_lo_quiero no_lo_envíen detener
      dejar_de_recibir renovación_automática
      dejar_de_pagar`,
    en: `cancel cancellation unsubscribe terminate stop opt_out call_off changed_my_mind don't_need_it don't_ship
      auto_renew auto_renewal`,
  },
  subscription: {
    es: `suscripción membresía plan abono cuota mensualidad renovación renovar plan`,
    en: `plan subscription membership plan renewal renew monthly`,
  },

  // ---- Account access ------------------------------------------------------------------------
  account: {
    es: `cuenta perfil usuario`,
    en: `account profile user username`,
  },
  login: {
    es: `entrar ingresar acceder acceso sesión iniciar_sesión loguear loguearme logearme no_puedo_entrar
      no_me_deja_entrar no_me_deja_acceder acceso_denegado me_sale_error_al_entrar`,
    en: `login log_in logon sign_in signin access can't_log can't_get_in locked_out access_denied`,
  },
  password: {
    es: `contraseña clave pin código_de_verificación código_de_acceso restablecer recuperar olvidé olvidar código sms
      correo_de_verificación verificación doble_factor autenticación contraseña_incorrecta clave_incorrecta`,
    en: `password passcode verification_code reset recover forgot forgotten code verify verification two_factor 2fa
      authentication wrong_password`,
  },
  locked: {
    es: `bloquear bloqueo bloqueada suspendida suspender hackeada hackearon`,
    en: `locked lock blocked suspended hacked`,
  },

  // ---- Returns and warranty ------------------------------------------------------------------
  return: {
    es: `devolver devolución retornar regresar mandar_de_vuelta enviar_de_vuelta cambiar cambio reemplazo reemplazar
      sustituir reponer talla no_me_queda no_me_convence no_me_gusta no_me_sirve no_me_vale queda_chico
      queda_grande pequeño grande devuelvo cambio_por_otro`,
    en: `return send_back exchange replace replacement swap size doesn't_fit too_small too_big`,
  },
  defect: {
    es: `roto romper dañado dañar defecto defectuoso falla fallar averiado avería estropeado rayado abollado rajado
      aplastado partido pedazos trizas manchado incompleto equivocado incorrecto no_funciona no_anda no_sirve
      dejó_de_funcionar no_enciende no_prende falla_de_fábrica defecto_de_fábrica llegó_mal vino_mal
      me_mandaron_otro no_es_lo_que_pedí falta_una_pieza desperfecto golpe golpeado rayón dañado_en_el_envío
      se_rompió se_estropeó mal_estado en_mal_estado caducado`,
    en: `broken damaged defective faulty cracked crushed shattered dented wrong wrong_item doesn't_work not_working
      stopped_working won't_turn_on missing_part arrived_damaged scratched broke damaged_in_transit expired`,
  },
  warranty: {
    es: `garantía reparar reparación arreglar servicio_técnico cubre cubierto`,
    en: `warranty guarantee repair fix covered under_warranty`,
  },

  // ---- People and complaints -----------------------------------------------------------------
  human: {
    es: `persona humano humana agente asesor asesora operador operadora representante ejecutivo encargado supervisor
      alguien empleado persona_real ser_humano de_carne_y_hueso bot robot máquina contestador bot robot
      atención_personalizada alguien_real que_me_llamen`,
    en: `bot robot person human agent advisor adviser operator representative someone somebody staff real_person bot
      robot live_agent machine call_me`,
  },
  talk: {
    es: `hablar comunicar comunicarme contactar llamar atender atienda charlar conversar teléfono llamada transferir
      derivar pasar_con pásame_con pasame_con comunícame ponerme_en_contacto chat`,
    en: `talk speak contact call phone chat get_in_touch transfer transfer_me put_me_through`,
  },
  complaint: {
    es: `queja quejar reclamación reclamar reclamo denuncia denunciar libro_de_reclamaciones hoja_de_reclamaciones
      inaceptable vergüenza vergonzoso pésimo pésima horrible terrible fatal indignado harto molesto enfadado
      enojado decepcionado descontento insatisfecho maltrato grosero desastre es_un_chiste ignorado ignoran
      nadie_responde nadie_contesta nadie_me_da_solución mal_servicio mala_atención me_parece_fatal queja_formal
      inconformidad inconforme molestia mala_experiencia peor nunca_más no_vuelvo_a_comprar falta_de_respeto
      lamentable deplorable mal_trato me_colgaron nadie_me_ayuda sin_respuesta no_responden esperando_respuesta
      tomadura_de_pelo nadie_me_contesta nadie_me_responde tercera_vez otra_vez_lo_mismo profeco ocu consumo
      oficina_del_consumidor defensa_del_consumidor abogado demandar demanda`,
    en: `complaint complain unacceptable disgrace awful angry upset disappointed unhappy rude fed_up disaster
      is_a_joke ignored nobody_answers no_one_answers poor_service bad_service bad_experience terrible_experience
      worst never_again disrespectful hung_up no_one_replied no_reply lawyer sue lawsuit`,
  },
  service: {
    es: `atención servicio trato tratado soporte atención_al_cliente servicio_al_cliente`,
    en: `service support customer_service treatment treated`,
  },

  // ---- Changing an order ---------------------------------------------------------------------
  address: {
    es: `dirección domicilio calle avenida portal piso departamento código_postal casa destino ubicación mudado mudé
      mudanza nueva_dirección otra_dirección dirección_equivocada error_en_la_dirección`,
    en: `address street avenue apartment zip zip_code postal_code postcode destination moved new_address
      different_address wrong_address shipping_address delivery_address`,
  },
  change: {
    es: `cambiar modificar corregir actualizar editar equivocar equivoqué añadir agregar quitar sumar
      cambiar_el_pedido modificar_el_pedido cambiar_la_talla cambiar_el_color en_lugar_de en_vez_de`,
    en: `change modify correct update edit amend add remove fix typo typed_wrong change_my_order instead_of`,
  },

  // ---- Paying --------------------------------------------------------------------------------
  payment: {
    es: `pagar pago abonar forma_de_pago método_de_pago medio_de_pago formas_de_pago admitir aceptar opción_de_pago
      se_puede_pagar puedo_pagar pagar_con aceptan aceptáis admiten admitís`,
    en: `pay payment payment_method accept option can_i_pay pay_with`,
  },
  paymentMeans: {
    es: `tarjeta crédito débito visa mastercard amex paypal transferencia bizum efectivo contra_reembolso cuotas
      a_plazos meses_sin_intereses financiación financiar mercadopago oxxo klarna contra_entrega contraentrega
      pago_contra_entrega depósito_bancario american_express mercado_pago cripto`,
    en: `visa mastercard amex paypal klarna card credit debit bank_transfer wire cash installments cash_on_delivery
      apple_pay google_pay bitcoin crypto`,
  },
  // "store" alone is also the verb ("what you store about me"): only its shop-like phrases count.
  store: {
    es: `tienda local sucursal establecimiento horario abrir abierto cerrar cerrado hora horas a_qué_hora cerca
      tienda_física`,
    en: `stores the_store your_store in_store store_hours shop branch opening_hours open close closed hours near
      nearby physical_store`,
  },
  stock: {
    es: `stock disponible disponibilidad existencias agotado quedan queda reponer reposición en_stock vuelve stock`,
    en: `stock stock available availability sold_out out_of_stock back_in_stock in_stock restock`,
  },
  promotion: {
    es: `descuento cupón código_promocional código_de_descuento promo promoción oferta rebajas black_friday
      cyber_monday`,
    en: `promo black_friday cyber_monday discount coupon promo_code discount_code voucher sale deal offer`,
  },
  tech: {
    es: `app aplicación web página sitio error se_cuelga colgada se_queda_colgada se_cierra bug no_carga
      pantalla_en_blanco no_abre se_queda_pensando se_congela se_traba se_tilda app error bug`,
    en: `app web error bug app application website site page error bug crash crashes freeze freezing won't_load
      doesn't_load blank_page`,
  },
  privacy: {
    es: `datos mis_datos datos_personales borrar eliminar privacidad rgpd protección_de_datos derecho_al_olvido
      borrar_mi_cuenta eliminar_mi_cuenta información_personal mi_información guardar almacenar`,
    en: `data my_data personal_data delete erase privacy gdpr delete_my_account personal_information stored
      what_you_store you_store`,
  },
  contactDetails: {
    es: `correo email teléfono móvil celular número nombre apellido datos_personales email`,
    en: `email mail email phone mobile number name`,
  },
  loyalty: {
    es: `puntos programa_de_fidelidad fidelización recompensas club canjear acumular beneficios ventajas
      cliente_frecuente cliente_fiel socio`,
    en: `points rewards loyalty redeem loyalty_program perks benefits frequent_customer member`,
  },
  giftCard: {
    es: `tarjeta_regalo tarjeta_de_regalo cheque_regalo vale_regalo bono_regalo regalar regalo`,
    en: `gift_card gift_voucher gift`,
  },
  business: {
    es: `empresa negocio mayor al_por_mayor mayorista mayoreo volumen distribuidor reventa revender revendedor
      unidades cotizar cotización presupuesto corporativo factura_de_empresa cif precio_especial`,
    en: `business company wholesale bulk corporate reseller resell units b2b quote bulk_pricing`,
  },
  praise: {
    es: `genial excelente encantado encantada felicitar felicidades felicitaciones contento contenta buen_servicio
      todo_perfecto me_encantó muy_contento muy_contenta enhorabuena lo_máximo los_mejores volveré_a_comprar
      volvería_a_comprar`,
    en: `great awesome amazing excellent love loved kudos well_done great_service thank_you_so_much`,
  },
};

/**
 * Concepts that together mean another: money that comes back is a refund, whatever the words
 * ("el dinero aún no ha vuelto", "que me abonéis el importe", "regresen la plata").
 */
export const CX_COMBINATIONS: { all: string[]; means: string }[] = [{ all: ['money', 'back'], means: 'refund' }];
