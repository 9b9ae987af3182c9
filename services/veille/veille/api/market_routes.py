"""The market's memory: a buyer's page and a winner's page (every authenticated user: awards are
public information), read from the tenders and their awards."""

from __future__ import annotations

from datetime import datetime

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.french import PARIS
from centrale.web import open_to_signed_in, resources

from ..store import market
from .market_schemas import BuyerPageSchema, BuyerQuerySchema, BuyerRefSchema, WinnerPageSchema

blp = Blueprint("market", __name__, url_prefix="/api",
                description="Acheteurs, titulaires et renouvellements")


@blp.route("/buyers")
class Buyers(MethodView):
    @open_to_signed_in
    @blp.arguments(BuyerQuerySchema, location="query")
    @blp.response(200, BuyerRefSchema(many=True))
    def get(self, query):
        """Trouver un acheteur par son nom."""
        with resources().db.transaction() as conn:
            return market.find_buyers(conn, query["q"])


@blp.route("/buyers/<string:buyer_key>")
class BuyerPage(MethodView):
    @open_to_signed_in
    @blp.response(200, BuyerPageSchema)
    def get(self, buyer_key):
        """Un acheteur : ses appels d'offres ouverts et passés, ses attributions, ses marchés à
        renouveler, et la part de ses lots réservés ou portant une clause sociale."""
        with resources().db.transaction() as conn:
            page = market.buyer_page(conn, buyer_key[:220], datetime.now(PARIS).date())
        if page is None:
            abort(404, message="Acheteur inconnu de la veille.")
        return page


@blp.route("/winners/<string:siret>")
class WinnerPage(MethodView):
    @open_to_signed_in
    @blp.response(200, WinnerPageSchema)
    def get(self, siret):
        """Un titulaire (par son SIRET) : les marchés qu'il a remportés, et qui d'autre
        remporte les marchés du territoire sur les mêmes classes CPV."""
        if not (len(siret) == 14 and siret.isdigit()):
            abort(404, message="Titulaire inconnu : SIRET à 14 chiffres attendu.")
        with resources().db.transaction() as conn:
            page = market.winner_page(conn, siret)
        if page is None:
            abort(404, message="Aucun marché attribué à ce SIRET n'est connu de la veille.")
        return page
